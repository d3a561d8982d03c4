using RasNative.Loaders;
using RasNative.Runtime.Cpu;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>A NaN entering a forward reaches its output as it does in PyTorch, instead of being softened into finite values.</summary>
public class NonFinitePropagationTests
{
    /// <summary>
    /// One NaN in one text token's embedding: diffusers' joint attention gives every query a NaN score against that
    /// token's key, so every row of every block's attention, and the whole sample, is NaN.
    /// </summary>
    [Fact]
    public void NanTextTokenMakesTheWholeSd3SampleNaN()
    {
        using var backend = new CpuBackend();
        var model = Sd3Fixture.LoadModel(Sd3Fixture.ModelPath("sd3-tiny"), backend);
        using var file = SafetensorsFile.Open(Path.Combine(Sd3Fixture.ModelPath("sd3-tiny"), "case_a.safetensors"));
        var text = file.ReadFloat32("encoder_hidden_states");
        text[3 * 32 + 5] = float.NaN;   // token 3, channel 5 of [1, 7, 32]
        var inputs = Sd3Fixture.LoadInputs(file, backend) with { EncoderHiddenStates = backend.Upload(text, 1, 7, 32) };
        var sample = Sd3Fixture.Run(model, backend, inputs);
        Assert.All(sample, v => Assert.True(float.IsNaN(v)));
    }
}
