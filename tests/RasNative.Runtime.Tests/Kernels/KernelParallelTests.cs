using System.Diagnostics;
using RasNative.Runtime.Cpu.Kernels;
using Xunit;

namespace RasNative.Runtime.Tests.Kernels;

/// <summary>
/// Failures inside kernel tasks: a task's exception reaches the caller with its stack, the call returns only once
/// no task runs any more, and the workers serve the next call. Alone in its collection, so no concurrent kernel
/// call holds the workers (a call that finds them busy runs on its own thread and would test nothing).
/// </summary>
[Collection(nameof(KernelParallelTests))]
public sealed unsafe class KernelParallelTests
{
    const int Tasks = 64;

    struct Job
    {
        public int Caller;
        public int Started;
        public int Finished;
        public int WorkerTasks;
        public int Thrown;
    }

    static bool OnWorker(Job* job) => Environment.CurrentManagedThreadId != job->Caller;

    /// <summary>The first task a worker runs throws; the caller's own tasks take a while, so a worker does get one.</summary>
    static void ThrowOnFirstWorkerTask(void* context, int task)
    {
        var job = (Job*)context;
        Interlocked.Increment(ref job->Started);
        if (OnWorker(job) && Interlocked.Exchange(ref job->Thrown, 1) == 0)
            throw new InvalidOperationException($"task {task} failed on a worker");
        Thread.Sleep(2);
        Interlocked.Increment(ref job->Finished);
    }

    /// <summary>The caller's first task waits until a worker is inside a task of its own, then throws.</summary>
    static void ThrowOnCallerWhileAWorkerRuns(void* context, int task)
    {
        var job = (Job*)context;
        Interlocked.Increment(ref job->Started);
        if (OnWorker(job))
        {
            Interlocked.Increment(ref job->WorkerTasks);
            Thread.Sleep(20);
        }
        else if (Interlocked.Exchange(ref job->Thrown, 1) == 0)
        {
            var clock = Stopwatch.StartNew();
            while (Volatile.Read(ref job->WorkerTasks) == 0 && clock.ElapsedMilliseconds < 2000) Thread.Yield();
            throw new InvalidOperationException("the caller's task failed");
        }
        Interlocked.Increment(ref job->Finished);
    }

    static void Count(void* context, int task)
    {
        var job = (Job*)context;
        Interlocked.Increment(ref job->Started);
        if (OnWorker(job)) Interlocked.Increment(ref job->WorkerTasks);
        Thread.Sleep(1);
        Interlocked.Increment(ref job->Finished);
    }

    [Fact]
    public void ExceptionOnAWorkerSurfacesOnTheCallerWithItsStack()
    {
        var job = new Job { Caller = Environment.CurrentManagedThreadId };
        var error = Assert.IsType<InvalidOperationException>(Failure(Tasks, &job, &ThrowOnFirstWorkerTask));
        Assert.Contains("failed on a worker", error.Message);
        Assert.Contains(nameof(ThrowOnFirstWorkerTask), error.StackTrace);
        // Every task that started has finished, and none was claimed after the failure but those already running.
        Assert.Equal(job.Started, job.Finished + 1);
        Assert.True(job.Started < Tasks, $"{job.Started} of {Tasks} tasks ran after one failed");
        AssertPoolStillWorks();
    }

    [Fact]
    public void CallReturnsOnlyAfterEveryWorkerLeftTheJob()
    {
        var job = new Job { Caller = Environment.CurrentManagedThreadId };
        Assert.IsType<InvalidOperationException>(Failure(Tasks, &job, &ThrowOnCallerWhileAWorkerRuns));
        if (job.WorkerTasks == 0) Assert.Skip("no worker joined the job (a single-core machine)");
        int started = Volatile.Read(ref job.Started), finished = Volatile.Read(ref job.Finished);
        Assert.Equal(started, finished + 1);   // only the failed task did not finish
        Thread.Sleep(100);
        Assert.Equal(started, Volatile.Read(ref job.Started));   // and nothing starts after the call returned
        AssertPoolStillWorks();
    }

    [Fact]
    public void NegativeTaskCountIsRefusedBeforeAnyTaskRuns()
    {
        var job = new Job();
        Assert.IsType<ArgumentOutOfRangeException>(Failure(-1, &job, &Count));
        Assert.Equal(0, job.Started);
    }

    static Exception? Failure(int count, Job* job, delegate*<void*, int, void> body)
    {
        try
        {
            KernelParallel.For(count, job, body);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    static void AssertPoolStillWorks()
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var job = new Job { Caller = Environment.CurrentManagedThreadId };
            KernelParallel.For(Tasks, &job, &Count);
            Assert.Equal(Tasks, job.Started);
            Assert.Equal(Tasks, job.Finished);
        }
    }
}

[CollectionDefinition(nameof(KernelParallelTests), DisableParallelization = true)]
public sealed class KernelParallelCollection;
