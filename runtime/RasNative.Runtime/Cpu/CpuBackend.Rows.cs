using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Cpu;

public sealed partial class CpuBackend
{
    public void GatherRows(Tensor source, IndexList indices, Tensor destination)
    {
        OpChecks.MoveRows("row gather", source, "source", destination, "destination", indices);
        MoveRows(source, destination, indices, gather: true);
    }

    public void ScatterRows(Tensor source, IndexList indices, Tensor destination)
    {
        OpChecks.MoveRows("row scatter", destination, "destination", source, "source", indices);
        MoveRows(destination, source, indices, gather: false);
    }

    /// <summary>Copies between full[b, idx[i]] and compact[b, i]; the direction is the only difference.</summary>
    static void MoveRows(Tensor full, Tensor compact, IndexList indices, bool gather)
    {
        int width = full.Dim(2), batch = full.Dim(0), fullRows = full.Dim(1), count = compact.Dim(1);
        var ids = indices.IdsBelow(fullRows, gather ? "row gather" : "row scatter", "row id");
        var f = full.Span();
        var c = compact.Span();
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < count; i++)
            {
                var fullRow = f.Slice((b * fullRows + ids[i]) * width, width);
                var compactRow = c.Slice((b * count + i) * width, width);
                if (gather) fullRow.CopyTo(compactRow);
                else compactRow.CopyTo(fullRow);
            }
    }
}
