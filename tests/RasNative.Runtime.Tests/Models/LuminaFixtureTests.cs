using RasNative.Loaders;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>The CPU Lumina-Next forward against diffusers' outputs (fixtures/lumina-next, README tolerances).</summary>
public class LuminaFixtureTests
{
    // README: |x − ref| ≤ 2e-5 + 1e-5·|ref| for float32 on these tiny models; observed float32-vs-float64 ≤ 6.7e-7.
    static readonly double Atol = FixtureBounds.Transformer.Atol, Rtol = FixtureBounds.Transformer.Rtol;

    // float32 exp differs by an ulp or two between libraries, moving the timestep features (fixture README).
    static readonly HashSet<string> TimestepFeatureNames = ["timestep_proj", "timestep_emb", "temb"];

    [Theory]
    [InlineData("case_a")]
    [InlineData("case_b")]
    [InlineData("case_c")]
    [InlineData("case_d")]
    public void SampleMatchesDiffusers(string caseName)
    {
        using var backend = new CpuBackend();
        var model = LuminaFixture.LoadModel(LuminaFixture.ModelPath, backend);
        using var file = LuminaFixture.OpenCase(caseName);
        var sample = LuminaFixture.Run(model, backend, LuminaFixture.LoadInputs(file, backend));
        Closeness.AssertClose(file.ReadFloat32("sample"), sample, Atol, Rtol, $"lumina-next-tiny/{caseName} sample");
    }

    [Fact]
    public void EveryCaseAIntermediateMatchesDiffusers()
    {
        using var backend = new CpuBackend();
        var model = LuminaFixture.LoadModel(LuminaFixture.ModelPath, backend);
        using var inputs = LuminaFixture.OpenCase("case_a");
        using var expected = LuminaFixture.OpenCase("case_a_intermediates");
        var recorder = new ActivationRecorder(backend);
        LuminaFixture.Run(model, backend, LuminaFixture.LoadInputs(inputs, backend), observer: recorder);

        Assert.NotEmpty(expected.Tensors);
        foreach (var info in expected.Tensors)
        {
            Assert.True(recorder.Recorded.TryGetValue(info.Name, out var actual), $"the forward recorded no '{info.Name}'");
            Assert.Equal(info.Shape, actual.Shape.Select(d => (long)d).ToArray());
            double atol = TimestepFeatureNames.Contains(info.Name) ? FixtureBounds.TimestepFeatures.Atol : Atol;
            Closeness.AssertClose(expected.ReadFloat32(info.Name), actual.Data, atol, Rtol, info.Name);
        }
    }

    /// <summary>The host-built RoPE table against the image_rotary_emb diffusers was given, for every case's factors and grid.</summary>
    [Theory]
    [InlineData("case_a")]
    [InlineData("case_c")]
    [InlineData("case_d")]
    public void RopeTableMatchesDiffusers(string caseName)
    {
        using var backend = new CpuBackend();
        using var file = LuminaFixture.OpenCase(caseName);
        var inputs = LuminaFixture.LoadInputs(file, backend);
        var shape = file.Info("image_rotary_emb").Shape;
        int headDim = (int)shape[2] * 2;
        var table = inputs.Rope.Table(headDim, (int)shape[0], (int)shape[1]);
        Closeness.AssertClose(file.ReadFloat32("image_rotary_emb"), table, 1e-6, 0, $"{caseName} image_rotary_emb");
    }

    [Fact]
    public void MisshapenCaptionMaskIsRejected()
    {
        using var backend = new CpuBackend();
        var model = LuminaFixture.LoadModel(LuminaFixture.ModelPath, backend);
        using var file = LuminaFixture.OpenCase("case_a");
        var inputs = LuminaFixture.LoadInputs(file, backend) with { EncoderMask = backend.Allocate(1, 3) };
        Assert.Throws<ModelInputException>(() => LuminaFixture.Run(model, backend, inputs));
    }
}
