using RasNative.Cuda.Native;

namespace RasNative.Cuda;

/// <summary>
/// An instantiated CUDA graph recorded by <see cref="CudaCalls.Capture"/>, with the counts of the calls it
/// recorded (added to the counters at each replay). Dispose after the last replay has run.
/// </summary>
public sealed class CudaGraph(IntPtr graph, IntPtr exec, CudaCounts counts) : IDisposable
{
    bool disposed;

    public IntPtr Exec { get; } = exec;

    public CudaCounts Counts { get; } = counts;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Driver.cuGraphExecDestroy(Exec);
        Driver.cuGraphDestroy(graph);
    }
}
