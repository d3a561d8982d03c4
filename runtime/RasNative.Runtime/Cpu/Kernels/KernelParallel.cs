namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// Runs kernel tasks 0 … count−1 on the calling thread plus ProcessorCount − 1 persistent workers. Persistent
/// threads and a function-pointer body keep each call allocation-free, unlike Parallel.For. Tasks are claimed
/// from a shared counter, so which thread runs a task varies but what the task computes does not. One call at a
/// time owns the workers; a concurrent or nested call runs its tasks on its own thread. Bodies must not throw.
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

    static KernelParallel()
    {
        for (int i = 0; i < WorkerCount; i++)
            new Thread(WorkerLoop) { IsBackground = true, Name = "RasNative kernel worker" }.Start();
    }

    public static void For(int count, void* context, delegate*<void*, int, void> body)
    {
        if (count <= 1 || WorkerCount == 0 || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++)
                body(context, i);
            return;
        }

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
        }
        finally
        {
            Volatile.Write(ref busy, 0);
        }
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

    static void Drain()
    {
        var body = jobBody;
        var context = jobContext;
        int count = jobCount;
        int task;
        while ((task = Interlocked.Increment(ref nextTask) - 1) < count)
            body(context, task);
    }
}
