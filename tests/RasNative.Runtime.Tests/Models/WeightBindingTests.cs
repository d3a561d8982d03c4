using RasNative.Loaders;
using RasNative.Loaders.ModelSources;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Models;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Runtime.Models.Sd3;
using RasNative.Tests;
using Xunit;

namespace RasNative.Runtime.Tests.Models;

/// <summary>The binder's strictness (every tensor the model states, nothing else) and the stored-width weight path.</summary>
public class WeightBindingTests
{
    static string Sd3Tiny => Sd3Fixture.ModelPath("sd3-tiny");

    static string LoadError(EditedCheckpoint edited, bool lumina = false)
    {
        using var backend = new CpuBackend();
        var error = Assert.Throws<ModelLoadException>(() =>
        {
            if (lumina) LuminaFixture.LoadModel(edited.Path, backend);
            else Sd3Fixture.LoadModel(edited.Path, backend);
        });
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    [Fact]
    public void MissingBiasIsAnError()
    {
        using var edited = new EditedCheckpoint(Sd3Tiny, tensors => tensors.Where(t => t.Name != "transformer_blocks.1.attn.to_q.bias"));
        Assert.Contains("missing tensor 'transformer_blocks.1.attn.to_q.bias' (expected shape [32])", LoadError(edited));
    }

    [Fact]
    public void BiasOfABiasFreeModuleIsAnUnusedTensor()
    {
        using var edited = new EditedCheckpoint(LuminaFixture.ModelPath, tensors =>
            [.. tensors, TensorToWrite.F32("layers.0.attn1.to_q.bias", new float[32], 32)]);
        Assert.Contains("1 tensor(s) the model does not use: 'layers.0.attn1.to_q.bias'", LoadError(edited, lumina: true));
    }

    [Fact]
    public void TensorOfAnotherConfigurationIsAnUnusedTensor()
    {
        using var edited = new EditedCheckpoint(Sd3Tiny, tensors =>
            [.. tensors, TensorToWrite.F32("transformer_blocks.3.attn.to_q.weight", new float[4], 2, 2), TensorToWrite.F32("extra", [1f], 1)]);
        var message = LoadError(edited);
        Assert.Contains("2 tensor(s) the model does not use: 'extra', 'transformer_blocks.3.attn.to_q.weight'", message);
        Assert.Contains(edited.Path, message);
    }

    [Fact]
    public void IntegerParameterIsAnError()
    {
        using var edited = new EditedCheckpoint(Sd3Tiny, tensors =>
            tensors.Select(t => t.Name == "context_embedder.bias" ? TensorToWrite.I64(t.Name, new long[32], 32) : t));
        Assert.Contains("tensor 'context_embedder.bias' is I64; model parameters are floats", LoadError(edited));
    }

    /// <summary>A copy of sd3-tiny with one value of one tensor replaced, stored as <paramref name="format"/>: the load names it.</summary>
    [Theory]
    [InlineData("transformer_blocks.1.attn.to_k.weight", DType.F32, float.PositiveInfinity, 517, "Infinity")]
    [InlineData("transformer_blocks.1.attn.to_k.weight", DType.BF16, float.NegativeInfinity, 3, "-Infinity")]
    [InlineData("transformer_blocks.0.ff.net.2.weight", DType.F16, float.NaN, 4095, "NaN")]
    [InlineData("proj_out.weight", DType.F8_E4M3, float.NaN, 0, "NaN")]
    [InlineData("context_embedder.weight", DType.F8_E5M2, float.PositiveInfinity, 1000, "Infinity")]
    [InlineData("context_embedder.bias", DType.F32, float.PositiveInfinity, 31, "Infinity")]
    [InlineData("pos_embed.pos_embed", DType.F32, float.NaN, 20000, "NaN")]
    [InlineData("transformer_blocks.2.norm1_context.linear.bias", DType.BF16, float.NaN, 7, "NaN")]
    public void NonFiniteWeightIsAnErrorNamingTheTensor(string name, DType format, float value, int at, string shown)
    {
        using var edited = new EditedCheckpoint(Sd3Tiny, tensors => tensors.Select(t =>
        {
            if (t.Name != name) return t;
            var values = EditedCheckpoint.Values(t);
            values[at] = value;
            return TensorToWrite.Convert(t.Name, format, values, t.Shape);
        }));
        var message = LoadError(edited);
        Assert.Contains($"tensor '{name}' [", message);
        Assert.Contains($"holds {shown} at element {at}; a checkpoint's weights must be finite", message);
    }

    /// <summary>to_q/to_k/to_v are bound as one Linear of three parts, which holds one stored format.</summary>
    [Fact]
    public void ProjectionsOfOneAttentionInDifferentFormatsAreAnError()
    {
        using var edited = new EditedCheckpoint(Sd3Tiny, tensors => tensors.Select(t => t.Name == "transformer_blocks.0.attn.to_v.weight"
            ? TensorToWrite.Convert(t.Name, DType.BF16, EditedCheckpoint.Values(t), t.Shape)
            : t));
        Assert.Contains("'transformer_blocks.0.attn.to_v.weight' is BF16 but 'transformer_blocks.0.attn.to_q.weight' is F32; " +
            "Linears fused into one (they read the same input) must be stored in one format", LoadError(edited));
    }

    /// <summary>
    /// A block's adaLN pair is fused only where the checkpoint stores both in one format; otherwise it runs apart, and
    /// the model still loads (the model could always run the two Linears apart, unlike an attention's q/k/v).
    /// </summary>
    [Fact]
    public void AdaLnLinearsInDifferentFormatsRunApart()
    {
        using var edited = new EditedCheckpoint(Sd3Tiny, tensors => tensors.Select(t => t.Name == "transformer_blocks.0.norm1_context.linear.weight"
            ? TensorToWrite.Convert(t.Name, DType.BF16, EditedCheckpoint.Values(t), t.Shape)
            : t));
        using var backend = new CpuBackend();
        var model = Sd3Fixture.LoadModel(edited.Path, backend);
        Assert.Null(model.Weights.TransformerBlocks[0].Norm1.Both);
        Assert.NotNull(model.Weights.TransformerBlocks[1].Norm1.Both);
    }

    [Fact]
    public void Fp8ScaleOverflowingAWeightIsAnError()
    {
        using var edited = new EditedCheckpoint(Sd3Tiny, tensors => tensors.SelectMany<TensorToWrite, TensorToWrite>(t =>
        {
            if (t.Name != "proj_out.weight") return [t];
            var values = EditedCheckpoint.Values(t);
            values[9] = 57344f;   // e5m2's largest finite code; times the scale it exceeds float32
            return [TensorToWrite.Convert(t.Name, DType.F8_E5M2, values, t.Shape), TensorToWrite.F32("proj_out.scale_weight", [1e35f])];
        }).Append(TensorToWrite.F32("scaled_fp8", [], 0)));
        Assert.Contains("tensor 'proj_out.weight' [16, 32] holds Infinity at element 9", LoadError(edited));
    }

    [Fact]
    public void KnownExtrasMatchTheNameAndEverythingUnderIt()
    {
        using var folder = new EditedCheckpoint(Sd3Tiny, _ =>
            [TensorToWrite.F32("used", [1f], 1), TensorToWrite.F32("encoder.conv.weight", [1f], 1), TensorToWrite.F32("encoder", [1f], 1),
             TensorToWrite.F32("encoder_norm.weight", [1f], 1)]);
        using var checkpoint = SafetensorsFile.Open(Path.Combine(folder.Path, "diffusion_pytorch_model.safetensors"));
        using var backend = new CpuBackend();
        var binder = new WeightBinder(checkpoint, backend);
        binder.Parameter("used", 1);
        var error = Assert.Throws<ModelLoadException>(() => binder.Finish("encoder"));
        Assert.Contains("1 tensor(s) the model does not use: 'encoder_norm.weight'", error.Message);
        binder.Finish("encoder", "encoder_norm");
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.BF16)]
    [InlineData(DType.F8_E4M3)]
    public void RandomPresetsBindEveryParameterInTheirStorage(DType storage)
    {
        using var backend = new CpuBackend();
        var sd35 = new Sd3TransformerConfig
        {
            SampleSize = 16, InChannels = 4, OutChannels = 4, NumLayers = 2, AttentionHeadDim = 8, NumAttentionHeads = 4,
            JointAttentionDim = 32, CaptionProjectionDim = 32, PooledProjectionDim = 16, PosEmbedMaxSize = 16, DualAttentionLayers = [0], QkNorm = "rms_norm",
        };
        var lumina = new LuminaNextConfig
        {
            SampleSize = 16, InChannels = 4, HiddenSize = 32, NumLayers = 2, NumAttentionHeads = 4, NumKvHeads = 2, MultipleOf = 16, CrossAttentionDim = 24,
        };
        var sd3Model = Sd3Transformer.Load(new RandomWeights(seed: 1, storage: storage), sd35, backend);
        var luminaModel = LuminaNextTransformer.Load(new RandomWeights(seed: 1, storage: storage), lumina, backend);
        Assert.Equal(storage, sd3Model.Weights.TransformerBlocks[0].Attn2!.ToQkv.Storage);
        Assert.True(sd3Model.WeightBytes > 0 && luminaModel.WeightBytes > 0);
    }

    [Theory]
    [InlineData("sd3-tiny-bf16", DType.BF16)]
    [InlineData("sd3-tiny-fp16", DType.F16)]
    public void SixteenBitCheckpointStaysNarrowAndEqualsItsFloat32Widening(string model, DType storage)
    {
        using var backend = new CpuBackend();
        var component = ModelSource.Open(Sd3Fixture.ModelPath(model)).Get(PipelineComponent.Transformer);
        var config = Sd3TransformerConfig.FromJson(component.Config, component.ConfigSource);
        using var checkpoint = component.OpenWeights();
        var narrow = Sd3Transformer.Load(checkpoint, config, backend);
        var wide = Sd3Transformer.Load(new WidenedToFloat32(new CheckpointWeights(checkpoint)), config, backend);
        Assert.Equal(storage, narrow.Weights.TransformerBlocks[0].Ff.Proj.Storage);
        Assert.Equal(DType.F32, wide.Weights.TransformerBlocks[0].Ff.Proj.Storage);
        Assert.True(narrow.WeightBytes < wide.WeightBytes, $"{narrow.WeightBytes} bytes narrow, {wide.WeightBytes} widened");

        using var inputs = SafetensorsFile.Open(Path.Combine(Sd3Fixture.ModelPath(model), "case_a.safetensors"));
        var expected = Sd3Fixture.Run(wide, backend, Sd3Fixture.LoadInputs(inputs, backend));
        var actual = Sd3Fixture.Run(narrow, backend, Sd3Fixture.LoadInputs(inputs, backend));
        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), actual.Select(BitConverter.SingleToUInt32Bits));
    }

    [Fact]
    public void ScaledFp8CheckpointEqualsItsDequantizedFloat32Copy()
    {
        // ComfyUI's scaled_fp8 layout: every Linear weight as F8_E4M3 codes of w / scale, scale = max|w| / 448.
        var dequantized = new Dictionary<string, float[]>();
        using var fp8 = new EditedCheckpoint(Sd3Tiny, tensors => tensors.SelectMany<TensorToWrite, TensorToWrite>(t =>
        {
            if (!t.Name.EndsWith(".weight", StringComparison.Ordinal) || t.Shape.Length < 2) return [t];
            var values = EditedCheckpoint.Values(t);
            float scale = values.Max(MathF.Abs) / 448;
            var codes = TensorToWrite.Convert(t.Name, DType.F8_E4M3, [.. values.Select(v => v / scale)], t.Shape);
            dequantized[t.Name] = [.. EditedCheckpoint.Values(codes).Select(v => v * scale)];
            return [codes, TensorToWrite.F32(t.Name[..^".weight".Length] + ".scale_weight", [scale])];
        }).Append(TensorToWrite.F32("scaled_fp8", [], 0)));
        using var wide = new EditedCheckpoint(Sd3Tiny, tensors =>
            tensors.Select(t => dequantized.TryGetValue(t.Name, out var values) ? TensorToWrite.F32(t.Name, values, t.Shape) : t));
        Assert.True(dequantized.Count > 20);

        using var backend = new CpuBackend();
        var fp8Model = Sd3Fixture.LoadModel(fp8.Path, backend);
        var wideModel = Sd3Fixture.LoadModel(wide.Path, backend);
        Assert.Equal(DType.F8_E4M3, fp8Model.Weights.ProjOut.Storage);
        using var inputs = SafetensorsFile.Open(Path.Combine(Sd3Tiny, "case_a.safetensors"));
        var expected = Sd3Fixture.Run(wideModel, backend, Sd3Fixture.LoadInputs(inputs, backend));
        var actual = Sd3Fixture.Run(fp8Model, backend, Sd3Fixture.LoadInputs(inputs, backend));
        Assert.Equal(expected.Select(BitConverter.SingleToUInt32Bits), actual.Select(BitConverter.SingleToUInt32Bits));
        // The scale is applied: the fp8 model stays near diffusers' float32 output (3 mantissa bits per weight).
        Assert.True(Closeness.RelativeL2(inputs.ReadFloat32("sample"), actual) < 0.1);
    }

    /// <summary>The same parameters with every Linear weight widened to float32 on the host (the old load path).</summary>
    sealed class WidenedToFloat32(IWeightSource inner) : IWeightSource
    {
        public string Description => inner.Description;
        public IEnumerable<string> Names => inner.Names;
        public float[] Read(string name, int[] shape) => inner.Read(name, shape);
        public StoredTensor ReadStored(string name, int[] shape) => StoredTensor.F32(inner.ReadStored(name, shape).ToFloat32(), [.. shape.Select(d => (long)d)]);
        public DType StoredFormat(string name, int[] shape) => DType.F32;
    }
}
