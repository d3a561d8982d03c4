using System.Runtime.CompilerServices;
using RasNative.Runtime.Cpu.Kernels;

namespace RasNative.Runtime.Cpu;

/// <summary>Row work of an op: rows [start, end) of its output.</summary>
internal interface IRowJob
{
    void Run(int start, int end);
}

/// <summary>
/// Splits row-wise work across cores only when there is enough of it to pay for the hand-off, on the kernels'
/// persistent workers with the job as a struct on the caller's stack, so an op call allocates nothing.
/// </summary>
internal static unsafe class CpuParallel
{
    const long MinParallelElements = 1 << 15;

    /// <summary>Runs rows [0, rows) of <paramref name="job"/>; the op has checked its shapes, so no task can fail on one.</summary>
    public static void ForRows<TJob>(int rows, int width, TJob job) where TJob : struct, IRowJob
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        if (rows < 2 || (long)rows * width < MinParallelElements)
        {
            job.Run(0, rows);
            return;
        }
        var context = new Chunked<TJob>(job, rows, Math.Min(rows, Environment.ProcessorCount * 4));
        // The context lives on this stack frame until KernelParallel.For returns, which waits for every task (a failed
        // one included) to leave it.
        KernelParallel.For(context.Chunks, Unsafe.AsPointer(ref context), &RunChunk<TJob>);
    }

    static void RunChunk<TJob>(void* context, int chunk) where TJob : struct, IRowJob
    {
        ref var c = ref Unsafe.AsRef<Chunked<TJob>>(context);
        c.Job.Run((int)((long)c.Rows * chunk / c.Chunks), (int)((long)c.Rows * (chunk + 1) / c.Chunks));
    }

    struct Chunked<TJob>(TJob job, int rows, int chunks) where TJob : struct, IRowJob
    {
        public TJob Job = job;
        public readonly int Rows = rows;
        public readonly int Chunks = chunks;
    }
}
