using RasNative.Loaders;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>The CPU forward against diffusers' outputs (fixtures/sd3, README tolerances).</summary>
public class Sd3FixtureTests
{
    static readonly double Atol = FixtureBounds.Transformer.Atol, Rtol = FixtureBounds.Transformer.Rtol;

    // float32 exp differs by an ulp or two between libraries, moving the timestep features (fixture README).
    static readonly HashSet<string> TimestepFeatureNames = ["timestep_proj", "timestep_emb", "temb"];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in new[] { "sd3-tiny", "sd35-tiny", "sd3-tiny-bf16", "sd3-tiny-fp16" })
            foreach (var c in Sd3Fixture.CaseNames)
                data.Add(model, c);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SampleMatchesDiffusers(string model, string caseName)
    {
        using var backend = new CpuBackend();
        var transformer = Sd3Fixture.LoadModel(Sd3Fixture.ModelPath(model), backend);
        using var file = Sd3Fixture.OpenCase(model, caseName);
        var sample = Sd3Fixture.Run(transformer, backend, Sd3Fixture.LoadInputs(file, backend));
        Closeness.AssertClose(file.ReadFloat32("sample"), sample, Atol, Rtol, $"{model}/{caseName} sample");
        if (file.Contains("noise_pred_cfg"))
        {
            int half = sample.Length / 2;
            var guided = new float[half];
            for (int i = 0; i < half; i++) guided[i] = sample[i] + 5f * (sample[half + i] - sample[i]);
            Closeness.AssertClose(file.ReadFloat32("noise_pred_cfg"), guided, Atol, Rtol, $"{model}/{caseName} noise_pred_cfg");
        }
    }

    [Theory]
    [InlineData("sd3-tiny")]
    [InlineData("sd35-tiny")]
    public void EveryCaseAIntermediateMatchesDiffusers(string model)
    {
        using var backend = new CpuBackend();
        var transformer = Sd3Fixture.LoadModel(Sd3Fixture.ModelPath(model), backend);
        using var inputs = Sd3Fixture.OpenCase(model, "case_a");
        using var expected = SafetensorsFile.Open(Path.Combine(Sd3Fixture.ModelPath(model), "case_a_intermediates.safetensors"));
        var recorder = new ActivationRecorder(backend);
        Sd3Fixture.Run(transformer, backend, Sd3Fixture.LoadInputs(inputs, backend), recorder);

        Assert.NotEmpty(expected.Tensors);
        foreach (var info in expected.Tensors)
        {
            Assert.True(recorder.Recorded.TryGetValue(info.Name, out var actual), $"{model}: the forward recorded no '{info.Name}'");
            Assert.Equal(info.Shape, actual.Shape.Select(d => (long)d).ToArray());
            double atol = TimestepFeatureNames.Contains(info.Name) ? FixtureBounds.TimestepFeatures.Atol : Atol;
            Closeness.AssertClose(expected.ReadFloat32(info.Name), actual.Data, atol, Rtol, $"{model}/{info.Name}");
        }
    }
}
