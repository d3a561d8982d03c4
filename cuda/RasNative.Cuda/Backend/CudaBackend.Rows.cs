using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    public void GatherRows(Tensor source, IndexList indices, Tensor destination)
    {
        using var _ = Op("gather_rows");
        OpChecks.MoveRows("row gather", source, "source", destination, "destination", indices);
        LaunchRows("gather_rows", (long)source.Dim(0) * indices.Count, Ptr(source), Ptr(indices), Ptr(destination), source.Dim(0), indices.Count, source.Dim(1), source.Dim(2));
    }

    public void ScatterRows(Tensor source, IndexList indices, Tensor destination)
    {
        using var _ = Op("scatter_rows");
        OpChecks.MoveRows("row scatter", destination, "destination", source, "source", indices);
        LaunchRows("scatter_rows", (long)destination.Dim(0) * indices.Count, Ptr(source), Ptr(indices), Ptr(destination), destination.Dim(0), indices.Count, destination.Dim(1), destination.Dim(2));
    }
}
