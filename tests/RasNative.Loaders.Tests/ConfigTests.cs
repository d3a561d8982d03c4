using System.Text.Json;
using RasNative.Tests;
using Xunit;

namespace RasNative.Loaders.Tests;

public class ConfigTests
{
    static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    static JsonElement FixtureJson(params string[] parts) => Json(File.ReadAllText(FixturePaths.Get(parts)));

    [Fact]
    public void Sd3TinyMatchesTheReadme()
    {
        var config = Sd3TransformerConfig.FromJson(FixtureJson("sd3", "sd3-tiny", "config.json"));
        Assert.Equal(16, config.SampleSize);
        Assert.Equal(2, config.PatchSize);
        Assert.Equal(4, config.InChannels);
        Assert.Equal(4, config.OutChannels);
        Assert.Equal(3, config.NumLayers);
        Assert.Equal(8, config.AttentionHeadDim);
        Assert.Equal(4, config.NumAttentionHeads);
        Assert.Equal(32, config.InnerDim);
        Assert.Equal(32, config.JointAttentionDim);
        Assert.Equal(32, config.CaptionProjectionDim);
        Assert.Equal(64, config.PooledProjectionDim);
        Assert.Equal(32, config.PosEmbedMaxSize);
        Assert.Null(config.QkNorm);
        Assert.Empty(config.DualAttentionLayers);
    }

    [Fact]
    public void Sd35TinyHasQkNormAndDualAttention()
    {
        var config = Sd3TransformerConfig.FromJson(FixtureJson("sd3", "sd35-tiny", "config.json"));
        Assert.Equal("rms_norm", config.QkNorm);
        Assert.Equal([0], config.DualAttentionLayers);
    }

    [Fact]
    public void Sd3DefaultsAreDiffusersConstructorDefaults()
    {
        var config = Sd3TransformerConfig.FromJson(Json("""{"in_channels": 8, "out_channels": null}"""));
        Assert.Equal(8, config.InChannels);
        Assert.Equal(8, config.OutChannels);
        Assert.Equal(2, config.PatchSize);
        Assert.Equal(4096, config.JointAttentionDim);
        Assert.Equal(2048, config.PooledProjectionDim);
        Assert.Null(config.QkNorm);
        Assert.Empty(config.DualAttentionLayers);
        Assert.Equal(128, config.SampleSize);
        Assert.Equal(18, config.NumLayers);
        Assert.Equal(1152, config.InnerDim);
        Assert.Equal(96, config.PosEmbedMaxSize);
    }

    [Fact]
    public void LuminaTinyMatchesTheReadme()
    {
        var config = LuminaNextConfig.FromJson(FixtureJson("lumina-next", "lumina-next-tiny", "config.json"));
        Assert.Equal(16, config.SampleSize);
        Assert.Equal(2, config.PatchSize);
        Assert.Equal(4, config.InChannels);
        Assert.Equal(32, config.HiddenSize);
        Assert.Equal(2, config.NumLayers);
        Assert.Equal(4, config.NumAttentionHeads);
        Assert.Equal(2, config.NumKvHeads);
        Assert.Equal(2, config.KvHeads);
        Assert.Equal(8, config.HeadDim);
        Assert.Equal(16, config.MultipleOf);
        Assert.Null(config.FfnDimMultiplier);
        Assert.Equal(1e-5f, config.NormEps);
        Assert.True(config.LearnSigma);
        Assert.Equal(8, config.OutChannels);
        Assert.True(config.QkNorm);
        Assert.Equal(24, config.CrossAttentionDim);
        Assert.Equal(1.0f, config.ScalingFactor);
    }

    [Fact]
    public void LuminaDefaults()
    {
        var config = LuminaNextConfig.FromJson(Json("""{"ffn_dim_multiplier": 1.5, "learn_sigma": false}"""));
        Assert.Equal(2304, config.HiddenSize);
        Assert.Equal(32, config.NumLayers);
        Assert.Null(config.NumKvHeads);
        Assert.Equal(32, config.KvHeads);
        Assert.Equal(1.5f, config.FfnDimMultiplier);
        Assert.Equal(4, config.OutChannels);
        Assert.Equal(2048, config.CrossAttentionDim);
    }

    [Fact]
    public void SchedulerConfigs()
    {
        Assert.Equal(new FlowMatchSchedulerConfig(1000, 3.0), FlowMatchSchedulerConfig.Load(FixturePaths.Get("scheduler", "scheduler_config.json")));
        Assert.Equal(new FlowMatchSchedulerConfig(), FlowMatchSchedulerConfig.FromJson(Json("{}")));
    }

    [Theory]
    [InlineData("""{"num_layers": "three"}""", "key 'num_layers' must be an integer, got \"three\"")]
    [InlineData("""{"num_layers": 2.5}""", "key 'num_layers' must be an integer")]
    [InlineData("""{"qk_norm": true}""", "key 'qk_norm' must be a string")]
    [InlineData("""{"dual_attention_layers": [0, "1"]}""", "key 'dual_attention_layers' must be an array of integers")]
    [InlineData("""[]""", "config must be a JSON object")]
    public void Sd3WrongTypesNameTheSourceAndKey(string json, string expected)
    {
        var error = Assert.Throws<ModelFolderException>(() => Sd3TransformerConfig.FromJson(Json(json), "/models/x/config.json"));
        Assert.Contains("/models/x/config.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void WrongTypesInOtherConfigs()
    {
        var lumina = Assert.Throws<ModelFolderException>(() => LuminaNextConfig.FromJson(Json("""{"learn_sigma": 1}"""), "lumina.json"));
        Assert.Contains("lumina.json: key 'learn_sigma' must be true or false", lumina.Message);
        var scheduler = Assert.Throws<ModelFolderException>(() => FlowMatchSchedulerConfig.FromJson(Json("""{"shift": "3"}"""), "s.json"));
        Assert.Contains("s.json: key 'shift' must be a number", scheduler.Message);
    }
}
