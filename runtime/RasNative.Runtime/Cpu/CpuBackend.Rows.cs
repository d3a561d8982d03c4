using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

public sealed partial class CpuBackend
{
    public void GatherRows(Tensor source, IndexList indices, Tensor destination) =>
        MoveRows(source, destination, indices, gather: true);

    public void ScatterRows(Tensor source, IndexList indices, Tensor destination) =>
        MoveRows(destination, source, indices, gather: false);

    /// <summary>Copies between full[b, idx[i]] and compact[b, i]; the direction is the only difference.</summary>
    static void MoveRows(Tensor full, Tensor compact, IndexList indices, bool gather)
    {
        int width = full.Dim(-1), batch = full.Dim(0), fullRows = full.Dim(-2), count = compact.Dim(-2);
        if (compact.Dim(-1) != width || compact.Dim(0) != batch || indices.Count != count)
            throw new ArgumentException($"row {(gather ? "gather" : "scatter")}: {full} and {compact} with {indices.Count} indices");
        var ids = indices.Indices();
        var f = full.Span();
        var c = compact.Span();
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < count; i++)
            {
                if ((uint)ids[i] >= (uint)fullRows) throw new IndexOutOfRangeException($"row index {ids[i]} outside [0, {fullRows})");
                var fullRow = f.Slice((b * fullRows + ids[i]) * width, width);
                var compactRow = c.Slice((b * count + i) * width, width);
                if (gather) fullRow.CopyTo(compactRow);
                else compactRow.CopyTo(fullRow);
            }
    }
}
