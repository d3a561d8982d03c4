namespace RasNative.Cuda.Tests.Emulator;

/// <summary>
/// What every BLAS test class shares: the host (required on first use, so a test without one is skipped), seeded
/// random matrices and their release after each test.
/// </summary>
public abstract class BlasTestBase : IDisposable
{
    readonly List<DeviceMatrix> buffers = [];
    readonly Random random = new(20241128);
    BlasHost? host;

    protected BlasHost Host => host ??= BlasHost.Require();

    /// <summary>For tests that call the libraries before touching memory: binds them (or skips) first.</summary>
    protected void RequireHost() => _ = Host;

    protected DeviceMatrix Matrix(DataType type, long rows, long cols, long? ld = null, bool rowMajor = false, int batch = 1,
        long? batchStride = null, long batchGap = 3, double? fill = null) =>
        Keep(DeviceMatrix.Random(Host, random, type, rows, cols, ld, rowMajor, batch, batchStride, batchGap, fill));

    protected DeviceMatrix Vector(DataType type, params double[] values) => Keep(DeviceMatrix.Vector(Host, type, values));

    protected double[] RandomValues(int count, double amplitude = 1) =>
        Enumerable.Range(0, count).Select(_ => (random.NextDouble() * 2 - 1) * amplitude).ToArray();

    DeviceMatrix Keep(DeviceMatrix matrix)
    {
        buffers.Add(matrix);
        return matrix;
    }

    /// <summary>Frees the buffers made so far.</summary>
    protected void ReleaseBuffers()
    {
        foreach (var buffer in buffers) buffer.Dispose();
        buffers.Clear();
    }

    /// <summary>
    /// Forgets the buffers made inside <see cref="BlasHost.Isolated"/> after a fault: a sticky error ends that context
    /// (its frees fail, as on a GPU), and destroying the context releases its memory.
    /// </summary>
    protected void ForgetBuffers() => buffers.Clear();

    /// <summary>Releases the library handles (after the work on them has finished).</summary>
    protected abstract void ReleaseHandles();

    public void Dispose()
    {
        if (host == null) return;
        host.Synchronize();
        ReleaseHandles();
        ReleaseBuffers();
        GC.SuppressFinalize(this);
    }
}
