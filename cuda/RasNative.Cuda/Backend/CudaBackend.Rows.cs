using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    public void GatherRows(Tensor source, IndexList indices, Tensor destination)
    {
        using var _ = Op("gather_rows");
        var (batch, rows, dim) = RowGeometry(source, destination, indices.Count, "gather_rows");
        LaunchRows("gather_rows", (long)batch * indices.Count, Ptr(source), Ptr(indices), Ptr(destination), batch, indices.Count, rows, dim);
    }

    public void ScatterRows(Tensor source, IndexList indices, Tensor destination)
    {
        using var _ = Op("scatter_rows");
        var (batch, rows, dim) = RowGeometry(destination, source, indices.Count, "scatter_rows");
        LaunchRows("scatter_rows", (long)batch * indices.Count, Ptr(source), Ptr(indices), Ptr(destination), batch, indices.Count, rows, dim);
    }

    /// <summary>Batch, row count and width of the full [B, P, D] tensor, checked against the [B, n, D] one.</summary>
    static (int Batch, int Rows, int Dim) RowGeometry(Tensor full, Tensor selected, int n, string op)
    {
        Require(full.Rank == 3 && selected.Length == (long)full.Dim(0) * n * full.Dim(2), $"{op} between {full} and {selected} with {n} indices");
        return (full.Dim(0), full.Dim(1), full.Dim(2));
    }
}
