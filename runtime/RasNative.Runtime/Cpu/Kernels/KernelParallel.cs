using System.Runtime.ExceptionServices;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// Runs kernel tasks 0 … count−1 on the calling thread plus ProcessorCount − 1 persistent workers. Persistent
/// threads and a function-pointer body keep each call allocation-free, unlike Parallel.For. Tasks are claimed
/// from a shared counter, so which thread runs a task varies but what the task computes does not. One call at a
/// time owns the workers; a concurrent or nested call runs its tasks on its own thread.
/// A task that throws stops the job: no further task is claimed, the call waits until every participating thread
/// has left the job (its context lives on the caller's stack), then rethrows the first exception with its
/// original stack trace on the calling thread. Tasks already running finish.
/// </summary>
internal static unsafe class KernelParallel
{
    static readonly int WorkerCount = Environment.ProcessorCount - 1;

    // One permit per worker participation; Release publishes the job fields below to the worker taking it.
    static readonly SemaphoreSlim Start = new(0);

    static int busy;
    static delegate*<void*, int, void> jobBody;
    static void* jobContext;
    static int jobCount;
    static int nextTask;

    // Participations granted for the current job that have not finished; the job's context lives on the
    // caller's stack, so the caller may not return before this reaches zero.
    static int outstanding;

    // The current job's first exception; set once (under the CompareExchange on failed), read by the caller after
    // every participation has finished.
    static int failed;
    static ExceptionDispatchInfo? failure;

    static KernelParallel()
    {
        for (int i = 0; i < WorkerCount; i++)
            new Thread(WorkerLoop) { IsBackground = true, Name = "RasNative kernel worker" }.Start();
    }

    public static void For(int count, void* context, delegate*<void*, int, void> body)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (body == null) throw new ArgumentNullException(nameof(body));
        if (count <= 1 || WorkerCount == 0 || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++)
                body(context, i);
            return;
        }

        ExceptionDispatchInfo? error;
        try
        {
            jobBody = body;
            jobContext = context;
            jobCount = count;
            nextTask = 0;
            int helpers = Math.Min(WorkerCount, count - 1);
            outstanding = helpers;
            Start.Release(helpers);
            Drain();

            // Take back permits no worker has picked up yet, so a descheduled worker cannot hold up a finished job.
            var spin = new SpinWait();
            while (Volatile.Read(ref outstanding) > 0)
            {
                if (Start.Wait(0))
                    Interlocked.Decrement(ref outstanding);
                else
                    spin.SpinOnce(sleep1Threshold: -1);
            }
            error = failure;
        }
        finally
        {
            failure = null;
            Volatile.Write(ref failed, 0);
            Volatile.Write(ref busy, 0);
        }
        error?.Throw();
    }

    static void WorkerLoop()
    {
        while (true)
        {
            Start.Wait();
            Drain();
            Interlocked.Decrement(ref outstanding);
        }
    }

    /// <summary>Claims and runs tasks until none is left or one has failed; never throws.</summary>
    static void Drain()
    {
        var body = jobBody;
        var context = jobContext;
        int count = jobCount;
        int task;
        while (Volatile.Read(ref failed) == 0 && (task = Interlocked.Increment(ref nextTask) - 1) < count)
        {
            try
            {
                body(context, task);
            }
            catch (Exception e)
            {
                if (Interlocked.CompareExchange(ref failed, 1, 0) == 0)
                    failure = ExceptionDispatchInfo.Capture(e);
            }
        }
    }
}
