using BenchmarkDotNet.Attributes;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Tensors;

namespace RasNative.Benchmarks;

/// <summary>
/// The SD3 block's memory-bound ops on the image stream [2, 1024, 384] through CpuBackend. In the model Silu
/// only ever sees the [2, 384] timestep embedding; it runs here at the image size to measure its throughput.
/// </summary>
public class ElementwiseBenchmarks
{
    const int B = Sd3BenchShape.Batch, D = Sd3BenchShape.Width, Tokens = Sd3BenchShape.ImageTokens;
    const float Eps = 1e-6f;

    CpuBackend? backend;
    Tensor? x, y, emb;

    [GlobalSetup]
    public void Setup()
    {
        backend = new CpuBackend();
        x = AttentionBenchmarks.Upload(backend, Tokens, seed: 20);
        y = AttentionBenchmarks.Upload(backend, Tokens, seed: 21);
        // AdaLayerNormZero's six chunks per batch row; small values keep the repeated gated residual finite.
        var chunks = new float[B * 6 * D];
        var random = new Random(22);
        for (int i = 0; i < chunks.Length; i++) chunks[i] = (random.NextSingle() - 0.5f) * 1e-3f;
        emb = backend.Upload(chunks, B, 6 * D);
    }

    [GlobalCleanup]
    public void Cleanup() => backend?.Dispose();

    [Benchmark]
    public void LayerNormModulate() => backend!.LayerNormModulate(x!, new Modulation(emb!, 1), new Modulation(emb!, 0), y!, Eps);

    [Benchmark]
    public void GatedResidual() => backend!.GatedResidual(x!, y!, new Modulation(emb!, 2));

    [Benchmark]
    public void Silu() => backend!.Silu(x!, y!);
}
