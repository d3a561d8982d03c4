using System.Text.Json;
using System.Text.Json.Nodes;
using RasNative.Loaders.ModelSources;
using RasNative.Tests;
using Xunit;
using static RasNative.Loaders.Tests.SingleFileFixtures;

namespace RasNative.Loaders.Tests;

/// <summary>Configs inferred from a single file's shapes, and given configs checked against them field by field.</summary>
public class SingleFileConfigTests
{
    static JsonElement FolderConfig(PipelineComponent kind) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Pipeline, kind.SubfolderName(), "config.json"))).RootElement;

    [Fact]
    public void T5ConfigIsInferredCompletelyFromTheShapes()
    {
        var inferred = ModelSource.Open(AllInOne).Get(PipelineComponent.TextEncoder3);
        Assert.EndsWith("(inferred from the shapes)", inferred.ConfigSource);
        var folder = FolderConfig(PipelineComponent.TextEncoder3);
        foreach (var key in new[] { "vocab_size", "d_model", "d_kv", "d_ff", "num_layers", "num_heads", "relative_attention_num_buckets",
                     "relative_attention_max_distance", "feed_forward_proj", "dense_act_fn", "is_gated_act", "layer_norm_epsilon" })
            Assert.True(JsonElement.DeepEquals(folder.GetProperty(key), inferred.Config.GetProperty(key)) || Number(folder, key) == Number(inferred.Config, key), key);
        Assert.Equal("T5EncoderModel", inferred.ClassName);
    }

    [Fact]
    public void VaeConfigTakesTheStructureFromTheShapesAndSd3sFactors()
    {
        var vae = ModelSource.Open(AllInOne).Get(PipelineComponent.Vae).Config;
        Assert.Equal("[8,16]", vae.GetProperty("block_out_channels").GetRawText());
        Assert.Equal(1, vae.GetProperty("layers_per_block").GetInt32());
        Assert.Equal(16, vae.GetProperty("latent_channels").GetInt32());
        Assert.False(vae.GetProperty("use_quant_conv").GetBoolean());
        Assert.False(vae.GetProperty("use_post_quant_conv").GetBoolean());
        Assert.Equal(1.5305, vae.GetProperty("scaling_factor").GetDouble());
        Assert.Equal(0.0609, vae.GetProperty("shift_factor").GetDouble());
        // Not in the shapes: SD3's released value (the tiny fixture uses 4; --vae DIR gives it).
        Assert.Equal(32, vae.GetProperty("norm_num_groups").GetInt32());
        Assert.Equal(4, OpenAllInOne().Get(PipelineComponent.Vae).Config.GetProperty("norm_num_groups").GetInt32());
    }

    [Fact]
    public void AVaeWithoutAnSd3TransformerBesideItNeedsItsConfig()
    {
        using var temp = new TempFolder();
        Rewrite(AllInOne, temp.File("vae.safetensors"), name => name.StartsWith("first_stage_model.", StringComparison.Ordinal) ? name : null);
        var message = ErrorOf(() => ModelSource.Open(temp.File("vae.safetensors")).Get(PipelineComponent.Vae));
        Assert.Contains("scaling_factor", message);
        Assert.Contains("--vae", message);
        var given = ModelSource.Open(temp.File("vae.safetensors"), new ModelSourceOptions { Vae = Pipeline }).Get(PipelineComponent.Vae);
        Assert.Equal(1.5305, given.Config.GetProperty("scaling_factor").GetDouble());
    }

    [Fact]
    public void TheTinyTransformersNeedTheirConfig()
    {
        // Head dim 8: a width of 32 is no multiple of 64 (released models' test: Runtime.Tests SingleFileForwardTests).
        var message = ErrorOf(() => ModelSource.Open(SaiFile("sd35-tiny")).Get(PipelineComponent.Transformer));
        Assert.Contains("width 32", message);
        Assert.Contains("--config", message);
        var given = ModelSource.Open(SaiFile("sd35-tiny"), new ModelSourceOptions { TransformerConfig = TransformerConfig("sd35-tiny") }).Get(PipelineComponent.Transformer);
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(File.ReadAllText(TransformerConfig("sd35-tiny"))).RootElement, given.Config));
    }

    [Theory]
    [InlineData("num_layers", "4", "'num_layers' is 4")]
    [InlineData("patch_size", "1", "'patch_size' is 1")]
    [InlineData("pos_embed_max_size", "16", "'pos_embed_max_size' is 16")]
    [InlineData("joint_attention_dim", "64", "'joint_attention_dim' is 64")]
    [InlineData("pooled_projection_dim", "32", "'pooled_projection_dim' is 32")]
    [InlineData("qk_norm", "\"rms_norm\"", "'qk_norm' is \"rms_norm\"")]
    [InlineData("dual_attention_layers", "[0]", "'dual_attention_layers' is [0]")]
    [InlineData("num_attention_heads", "2", "'num_attention_heads' × 'attention_head_dim' = 2 × 8 = 16")]
    [InlineData("out_channels", "8", "'out_channels' is 8")]
    public void AConfigThatContradictsTheShapesNamesTheField(string key, string value, string expected)
    {
        using var temp = new TempFolder();
        var config = JsonNode.Parse(File.ReadAllText(TransformerConfig("sd3-tiny")))!.AsObject();
        config[key] = JsonNode.Parse(value);
        File.WriteAllText(temp.File("config.json"), config.ToJsonString());
        var message = ErrorOf(() => ModelSource.Open(SaiFile("sd3-tiny"), new ModelSourceOptions { TransformerConfig = temp.File("config.json") })
            .Get(PipelineComponent.Transformer));
        Assert.Contains(temp.File("config.json"), message);
        Assert.Contains(expected, message);
        Assert.Contains("but the checkpoint's ", message);
    }

    [Fact]
    public void AnAbsentKeyIsComparedAsTheClassDefault()
    {
        using var temp = new TempFolder();
        var config = JsonNode.Parse(File.ReadAllText(TransformerConfig("sd3-tiny")))!.AsObject();
        config.Remove("joint_attention_dim");
        config.Remove("_class_name");
        File.WriteAllText(temp.File("config.json"), config.ToJsonString());
        var message = ErrorOf(() => ModelSource.Open(SaiFile("sd3-tiny"), new ModelSourceOptions { TransformerConfig = temp.File("config.json") })
            .Get(PipelineComponent.Transformer));
        Assert.Contains("'joint_attention_dim' is 4096 (the default)", message);
    }

    [Fact]
    public void AGivenConfigWithoutClassNameIsAnSd3Transformer()
    {
        using var temp = new TempFolder();
        var config = JsonNode.Parse(File.ReadAllText(TransformerConfig("sd3-tiny")))!.AsObject();
        config.Remove("_class_name");
        File.WriteAllText(temp.File("config.json"), config.ToJsonString());
        var component = ModelSource.Open(SaiFile("sd3-tiny"), new ModelSourceOptions { TransformerConfig = temp.File("config.json") }).Get(PipelineComponent.Transformer);
        Assert.Equal("SD3Transformer2DModel", component.ClassName);
    }

    [Fact]
    public void TheTinyClipsNeedTheirFolderConfigs()
    {
        var message = ErrorOf(() => ModelSource.Open(AllInOne).Get(PipelineComponent.TextEncoder2));
        Assert.Contains("width 48", message);
        Assert.Contains("--text-encoders", message);
        Assert.Contains("text_encoder_2/config.json", message);
    }

    [Fact]
    public void ATextEncoderFolderConfigThatContradictsTheFileNamesTheField()
    {
        using var temp = new TempFolder();
        foreach (var sub in new[] { "text_encoder", "text_encoder_2", "text_encoder_3" })
        {
            Directory.CreateDirectory(Path.Combine(temp.Path, sub));
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Pipeline, sub, "config.json")))!.AsObject();
            if (sub == "text_encoder_2") config["intermediate_size"] = 192;
            if (sub == "text_encoder_3") config["feed_forward_proj"] = "relu";
            File.WriteAllText(Path.Combine(temp.Path, sub, "config.json"), config.ToJsonString());
        }
        var source = ModelSource.Open(AllInOne, new ModelSourceOptions { TextEncoders = temp.Path });
        Assert.Equal(32, source.Get(PipelineComponent.TextEncoder).Config.GetProperty("hidden_size").GetInt32());
        var clip = ErrorOf(() => source.Get(PipelineComponent.TextEncoder2));
        Assert.Contains("'intermediate_size' is 192", clip);
        Assert.Contains("text_encoders.clip_g.transformer.text_model.encoder.layers.0.mlp.fc1.weight", clip);
        Assert.Contains("'feed_forward_proj' is \"relu\"", ErrorOf(() => source.Get(PipelineComponent.TextEncoder3)));
    }

    [Fact]
    public void AClipLWithoutStoredProjectionIsTheIdentity()
    {
        using var temp = new TempFolder();
        const string projection = "text_encoders.clip_l.transformer.text_projection.weight";
        Rewrite(AllInOne, temp.File("noproj.safetensors"), name => name == projection ? null : name);
        var inferredSource = ModelSource.Open(temp.File("noproj.safetensors"));
        var message = ErrorOf(() => inferredSource.Get(PipelineComponent.TextEncoder));
        Assert.Contains("width 32", message);
        // With the folder's config the projection width disagrees: the identity keeps 32, the folder says 16.
        var given = ErrorOf(() => ModelSource.Open(temp.File("noproj.safetensors"), new ModelSourceOptions { TextEncoders = Pipeline }).Get(PipelineComponent.TextEncoder));
        Assert.Contains("'projection_dim' is 16", given);
        Assert.Contains("identity", given);
        // A config that agrees (projection_dim = hidden_size) is accepted and the component says the projection is the identity.
        foreach (var sub in new[] { "text_encoder", "tokenizer" })
            Directory.CreateDirectory(temp.File(sub));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Pipeline, "text_encoder", "config.json")))!.AsObject();
        config["projection_dim"] = 32;
        File.WriteAllText(Path.Combine(temp.File("text_encoder"), "config.json"), config.ToJsonString());
        var clip = ModelSource.Open(temp.File("noproj.safetensors"), new ModelSourceOptions { TextEncoders = temp.Path }).Get(PipelineComponent.TextEncoder);
        Assert.True(clip.TextProjectionIsIdentity);
        using var weights = clip.OpenWeights();
        Assert.False(weights.Contains("text_projection.weight"));
    }

    static double Number(JsonElement config, string key) =>
        config.GetProperty(key).ValueKind == JsonValueKind.Number ? config.GetProperty(key).GetDouble() : double.NaN;
}
