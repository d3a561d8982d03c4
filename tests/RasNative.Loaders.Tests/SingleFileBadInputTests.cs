using RasNative.Loaders.ModelSources;
using RasNative.Tests;
using Xunit;
using static RasNative.Loaders.Tests.SingleFileFixtures;

namespace RasNative.Loaders.Tests;

/// <summary>Files that are not (whole, consistent) SD3 checkpoints: one line naming the key.</summary>
public class SingleFileBadInputTests
{
    const string Prefix = "model.diffusion_model.";

    static string TransformerError(string file) => ErrorOf(() =>
        ModelSource.Open(file, new ModelSourceOptions { TransformerConfig = TransformerConfig("sd3-tiny") }).Get(PipelineComponent.Transformer));

    [Fact]
    public void AnotherModelFamily()
    {
        var file = Path.Combine(FixturePaths.Get("lumina-next", "lumina-next-tiny"), "diffusion_pytorch_model.safetensors");
        var message = ErrorOf(() => ModelSource.Open(file));
        Assert.Contains(file, message);
        Assert.Contains("no SD3 / SD3.5 component", message);
        Assert.Contains("'", message);
    }

    [Fact]
    public void AnotherFamilyUnderTheSd3Prefix()
    {
        using var temp = new TempFolder();
        Rewrite(SaiFile("sd3-tiny"), temp.File("unet.safetensors"), name => name.Replace("joint_blocks.0.x_block", "input_blocks.0.0"));
        var message = TransformerError(temp.File("unet.safetensors"));
        Assert.Contains("'model.diffusion_model.input_blocks.0.0.", message);
        Assert.Contains("is not an SD3 / SD3.5 MMDiT name", message);
    }

    [Fact]
    public void AVaeOnlyFileWhenATransformerIsNeeded()
    {
        using var temp = new TempFolder();
        Rewrite(AllInOne, temp.File("vae.safetensors"), name => name.StartsWith("first_stage_model.", StringComparison.Ordinal) ? name : null);
        var message = TransformerError(temp.File("vae.safetensors"));
        Assert.Contains("no SD3 / SD3.5 transformer", message);
        Assert.Contains("first_stage_model.* (vae)", message);
    }

    [Fact]
    public void AHalfConvertedFileWithBothNamings()
    {
        using var temp = new TempFolder();
        using (var folder = SafetensorsFile.Open(Path.Combine(TransformerFolder("sd3-tiny"), "diffusion_pytorch_model.safetensors")))
        {
            // Block 1 already in diffusers names, the rest still SAI.
            var converted = folder.Tensors.Where(t => t.Name.StartsWith("transformer_blocks.1.", StringComparison.Ordinal))
                .Select(t => TensorToWrite.F32(Prefix + t.Name, folder.ReadFloat32(t.Name), t.Shape)).ToList();
            Rewrite(SaiFile("sd3-tiny"), temp.File("half.safetensors"), name => name.Contains("joint_blocks.1.") ? null : name, converted);
        }
        var message = TransformerError(temp.File("half.safetensors"));
        Assert.Contains("half-converted", message);
        Assert.Contains("'model.diffusion_model.transformer_blocks.1.", message);
    }

    [Fact]
    public void AHalfConvertedFileWithPrefixedAndBareTransformerKeys()
    {
        using var temp = new TempFolder();
        Rewrite(SaiFile("sd3-tiny"), temp.File("half.safetensors"), name => name.Contains("joint_blocks.2.") ? name[Prefix.Length..] : name);
        var message = TransformerError(temp.File("half.safetensors"));
        Assert.Contains("two transformer sections", message);
        Assert.Contains("'joint_blocks.2.", message);
    }

    [Fact]
    public void AMissingBlock()
    {
        using var temp = new TempFolder();
        Rewrite(SaiFile("sd3-tiny"), temp.File("gap.safetensors"), name => name.Contains("joint_blocks.1.") ? null : name);
        Assert.Contains("block model.diffusion_model.joint_blocks.1.* is missing while model.diffusion_model.joint_blocks.2.* exists",
            TransformerError(temp.File("gap.safetensors")));
    }

    [Fact]
    public void AMissingTopLevelTensorIsNamedAsTheFileNamesIt()
    {
        using var temp = new TempFolder();
        Rewrite(SaiFile("sd3-tiny"), temp.File("nopos.safetensors"), name => name == Prefix + "pos_embed" ? null : name);
        Assert.Contains("tensor 'model.diffusion_model.pos_embed' is missing", TransformerError(temp.File("nopos.safetensors")));
    }

    [Fact]
    public void AnExtraContextFeedForwardInTheLastBlock()
    {
        using var temp = new TempFolder();
        using (var file = SafetensorsFile.Open(SaiFile("sd3-tiny")))
        {
            const string fc1 = Prefix + "joint_blocks.1.context_block.mlp.fc1.weight";
            Rewrite(SaiFile("sd3-tiny"), temp.File("extra.safetensors"), name => name,
                [TensorToWrite.F32(fc1.Replace("joint_blocks.1.", "joint_blocks.2."), file.ReadFloat32(fc1), file.Info(fc1).Shape)]);
        }
        Assert.Contains("context_pre_only", TransformerError(temp.File("extra.safetensors")));
    }

    [Fact]
    public void AFusedQkvThatDoesNotSplitIntoThirds()
    {
        using var temp = new TempFolder();
        const string qkv = Prefix + "joint_blocks.0.x_block.attn.qkv.bias";
        Rewrite(SaiFile("sd3-tiny"), temp.File("qkv.safetensors"), name => name == qkv ? null : name, [TensorToWrite.F32(qkv, new float[95], 95)]);
        var message = TransformerError(temp.File("qkv.safetensors"));
        Assert.Contains(qkv, message);
        Assert.Contains("3 equal parts", message);
    }

    [Fact]
    public void AnUnknownVaeKey()
    {
        using var temp = new TempFolder();
        Rewrite(AllInOne, temp.File("vae.safetensors"), name => name.Replace("first_stage_model.decoder.mid.attn_1.q.", "first_stage_model.decoder.mid.attn_1.query."));
        var message = ErrorOf(() => ModelSource.Open(temp.File("vae.safetensors"), new ModelSourceOptions { Vae = Pipeline }).Get(PipelineComponent.Vae));
        Assert.Contains("'first_stage_model.decoder.mid.attn_1.query.", message);
        Assert.Contains("not an AutoencoderKL name", message);
    }

    [Fact]
    public void OpenClipNamesForClipG()
    {
        using var temp = new TempFolder();
        Rewrite(AllInOne, temp.File("openclip.safetensors"), name => name.Replace("clip_g.transformer.text_model.encoder.layers.", "clip_g.transformer.resblocks."));
        var message = ErrorOf(() => ModelSource.Open(temp.File("openclip.safetensors"), new ModelSourceOptions { TextEncoders = Pipeline }).Get(PipelineComponent.TextEncoder2));
        Assert.Contains("'text_encoders.clip_g.transformer.resblocks.", message);
        Assert.Contains("open_clip", message);
    }

    [Fact]
    public void TensorsOutsideEveryComponentAreListedNotUsed()
    {
        using var temp = new TempFolder();
        Rewrite(SaiFile("sd3-tiny"), temp.File("extra.safetensors"), name => name,
            [TensorToWrite.F32("cond_stage_model.logit_scale", [1f], 1), TensorToWrite.F32("text_encoders.clip_l.logit_scale", [1f], 1)]);
        var source = ModelSource.Open(temp.File("extra.safetensors"));
        Assert.Equal(["cond_stage_model.logit_scale", "text_encoders.clip_l.logit_scale"], source.IgnoredTensors.Order(StringComparer.Ordinal));
        Assert.False(source.Has(PipelineComponent.TextEncoder));
    }
}
