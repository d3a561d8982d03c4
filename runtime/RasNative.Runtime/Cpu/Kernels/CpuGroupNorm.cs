using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RasNative.Runtime.Backends;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// GroupNorm (+ optional SiLU) on channels-last x [B, positions, C]. Groups span every position, so the statistics
/// are reductions over up to millions of values (SD3's VAE at 1024²: 4 channels × 1M positions per group): each is
/// summed per chunk of positions in float, the chunks in double, in a fixed order set by the shape alone, so results
/// are reproducible and the mean and the centred variance (a second pass) keep float32 accuracy. The normalisation
/// runs per position row, vectorised: ((x − mean)·rstd)·weight + bias, then SiLU as the GEMM epilogue computes it.
/// y may be x.
/// </summary>
public static unsafe class CpuGroupNorm
{
    const int ChunkElements = 1 << 16;
    const int ApplyRowsPerTask = 256;

    public static void Run(float* x, float* weight, float* bias, float* y, in GroupNormGeometry g, float eps, bool silu)
    {
        if (g.Batch == 0 || g.Positions == 0)
            return;
        long chunkPositions = Math.Max(1, ChunkElements / g.Channels);
        int chunks = checked((int)((g.Positions + chunkPositions - 1) / chunkPositions));
        int statistics = g.Batch * g.Groups;
        int partialCount = checked(g.Batch * chunks * g.Groups);
        var partials = ArrayPool<double>.Shared.Rent(partialCount);
        var moments = ArrayPool<double>.Shared.Rent(2 * statistics);
        var perChannel = ArrayPool<float>.Shared.Rent(2 * g.Batch * g.Channels);
        try
        {
            fixed (double* partial = partials, means = moments)
            fixed (float* channelStatistics = perChannel)
            {
                double* variances = means + statistics;
                long values = g.Batch * g.Positions * g.Channels;
                var job = new StatisticsJob { X = x, Partials = partial, Means = null, Geometry = g, ChunkPositions = chunkPositions, Chunks = chunks };
                Parallel(g.Batch * chunks, &job, &SumChunk, values);
                Reduce(partial, g, chunks, means);
                job.Means = means;
                Parallel(g.Batch * chunks, &job, &SquareChunk, values);
                Reduce(partial, g, chunks, variances);
                // Per channel of every batch row: the group's mean and 1/√(var + eps) as floats, ready for the vector pass.
                for (int b = 0; b < g.Batch; b++)
                    for (int group = 0; group < g.Groups; group++)
                    {
                        int statistic = b * g.Groups + group;
                        float groupMean = (float)means[statistic], inverseStd = (float)(1.0 / Math.Sqrt(variances[statistic] + eps));
                        for (int c = group * g.GroupSize; c < (group + 1) * g.GroupSize; c++)
                        {
                            channelStatistics[2 * b * g.Channels + c] = groupMean;
                            channelStatistics[2 * b * g.Channels + g.Channels + c] = inverseStd;
                        }
                    }

                var apply = new ApplyJob
                {
                    X = x, Y = y, Weight = weight, Bias = bias, ChannelStatistics = channelStatistics,
                    Channels = g.Channels, Positions = g.Positions, Rows = g.Batch * g.Positions, Silu = silu,
                };
                delegate*<void*, int, void> body = SimdKinds.Best switch
                {
                    SimdKind.Vector512 => &ApplyRows<Simd512, Vector512<float>>,
                    SimdKind.Vector256 => &ApplyRows<Simd256, Vector256<float>>,
                    _ => &ApplyRows<Simd128, Vector128<float>>,
                };
                Parallel(checked((int)((apply.Rows + ApplyRowsPerTask - 1) / ApplyRowsPerTask)), &apply, body, values);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partials);
            ArrayPool<double>.Shared.Return(moments);
            ArrayPool<float>.Shared.Return(perChannel);
        }
    }

    static void Parallel(int tasks, void* job, delegate*<void*, int, void> body, long elements)
    {
        if (elements >= ChunkElements)
            KernelParallel.For(tasks, job, body);
        else
            for (int t = 0; t < tasks; t++)
                body(job, t);
    }

    /// <summary>Per (batch row, group): the chunks' sums added in chunk order, divided by the group's value count.</summary>
    static void Reduce(double* partial, in GroupNormGeometry g, int chunks, double* result)
    {
        double count = (double)g.Positions * g.GroupSize;
        for (int b = 0; b < g.Batch; b++)
            for (int group = 0; group < g.Groups; group++)
            {
                double sum = 0;
                for (int c = 0; c < chunks; c++) sum += partial[((long)b * chunks + c) * g.Groups + group];
                result[b * g.Groups + group] = sum / count;
            }
    }

    struct StatisticsJob
    {
        public float* X;
        public double* Partials, Means;
        public GroupNormGeometry Geometry;
        public long ChunkPositions;
        public int Chunks;
    }

    /// <summary>Task = (batch row, chunk): per group, Σ x over the chunk's positions.</summary>
    static void SumChunk(void* context, int task) => Accumulate((StatisticsJob*)context, task, centred: false);

    /// <summary>Task = (batch row, chunk): per group, Σ (x − mean)² over the chunk's positions.</summary>
    static void SquareChunk(void* context, int task) => Accumulate((StatisticsJob*)context, task, centred: true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Accumulate(StatisticsJob* job, int task, bool centred)
    {
        ref readonly var g = ref job->Geometry;
        int b = task / job->Chunks, chunk = task % job->Chunks, groupSize = g.GroupSize;
        long start = chunk * job->ChunkPositions, end = Math.Min(g.Positions, start + job->ChunkPositions);
        double* result = job->Partials + (long)task * g.Groups;
        for (int group = 0; group < g.Groups; group++)
        {
            double sum = 0;
            float mean = centred ? (float)job->Means[b * g.Groups + group] : 0f;
            for (long p = start; p < end; p++)
            {
                float* values = job->X + ((long)b * g.Positions + p) * g.Channels + group * groupSize;
                float partial = 0;
                if (centred)
                    for (int c = 0; c < groupSize; c++) partial += (values[c] - mean) * (values[c] - mean);
                else
                    for (int c = 0; c < groupSize; c++) partial += values[c];
                sum += partial;
            }
            result[group] = sum;
        }
    }

    struct ApplyJob
    {
        public float* X, Y, Weight, Bias, ChannelStatistics;
        public int Channels;
        public long Positions, Rows;
        public bool Silu;
    }

    /// <summary>Task = a run of position rows; each row is C channels, vectorised with a padded tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    static void ApplyRows<TS, TV>(void* context, int task)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        var job = (ApplyJob*)context;
        int channels = job->Channels, width = TS.Width, tail = channels % width, whole = channels - tail;
        var padded = stackalloc float[5 * width];
        long first = (long)task * ApplyRowsPerTask, last = Math.Min(job->Rows, first + ApplyRowsPerTask);
        for (long row = first; row < last; row++)
        {
            float* means = job->ChannelStatistics + 2L * (row / job->Positions) * channels, inverseStds = means + channels;
            float* source = job->X + row * channels, destination = job->Y + row * channels;
            for (int c = 0; c < whole; c += width)
                TS.Store(destination + c, Normalise<TS, TV>(TS.Load(source + c), TS.Load(means + c), TS.Load(inverseStds + c),
                    TS.Load(job->Weight + c), TS.Load(job->Bias + c), job->Silu));
            if (tail == 0) continue;
            // The last channels through one zero-padded vector, so they get exactly the vector lanes' arithmetic.
            new Span<float>(padded, 5 * width).Clear();
            Buffer.MemoryCopy(source + whole, padded, tail * sizeof(float), tail * sizeof(float));
            Buffer.MemoryCopy(means + whole, padded + width, tail * sizeof(float), tail * sizeof(float));
            Buffer.MemoryCopy(inverseStds + whole, padded + 2 * width, tail * sizeof(float), tail * sizeof(float));
            Buffer.MemoryCopy(job->Weight + whole, padded + 3 * width, tail * sizeof(float), tail * sizeof(float));
            Buffer.MemoryCopy(job->Bias + whole, padded + 4 * width, tail * sizeof(float), tail * sizeof(float));
            TS.Store(padded, Normalise<TS, TV>(TS.Load(padded), TS.Load(padded + width), TS.Load(padded + 2 * width),
                TS.Load(padded + 3 * width), TS.Load(padded + 4 * width), job->Silu));
            Buffer.MemoryCopy(padded, destination + whole, tail * sizeof(float), tail * sizeof(float));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TV Normalise<TS, TV>(TV x, TV mean, TV inverseStd, TV weight, TV bias, bool silu)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        TV v = TS.Add(TS.Multiply(TS.Multiply(TS.Subtract(x, mean), inverseStd), weight), bias);
        return silu ? Activations.Apply<TS, TV>(v, GemmEpilogue.Silu) : v;
    }
}
