using System.Text.Json;
using Xunit;

namespace RasNative.Loaders.Tests;

/// <summary>Config values that cannot be right are refused naming the key, never a division by zero or an overflow later.</summary>
public class ConfigBoundsTests
{
    static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Theory]
    [InlineData("""{"patch_size": 0}""", "patch_size")]
    [InlineData("""{"num_layers": -1}""", "num_layers")]
    [InlineData("""{"num_layers": 1000000}""", "num_layers")]
    [InlineData("""{"pos_embed_max_size": 2000000000}""", "pos_embed_max_size")]
    [InlineData("""{"pos_embed_max_size": 4096, "num_attention_heads": 64, "attention_head_dim": 64}""", "pos_embed_max_size")]
    [InlineData("""{"num_attention_heads": 4096, "attention_head_dim": 4096}""", "num_attention_heads")]
    [InlineData("""{"in_channels": 0}""", "in_channels")]
    [InlineData("""{"qk_norm": "layer_norm"}""", "qk_norm")]
    [InlineData("""{"num_layers": 2, "dual_attention_layers": [2]}""", "dual_attention_layers")]
    public void Sd3(string json, string key)
    {
        var e = Assert.Throws<ModelFolderException>(() => Sd3TransformerConfig.FromJson(Json(json), "c.json"));
        Assert.Contains($"'{key}'", e.Message);
        Assert.StartsWith("c.json: ", e.Message);
    }

    [Theory]
    [InlineData("""{"hidden_size": 30, "num_attention_heads": 4}""", "num_attention_heads")]
    [InlineData("""{"hidden_size": 36, "num_attention_heads": 4}""", "hidden_size")]
    [InlineData("""{"num_attention_heads": 32, "num_kv_heads": 5}""", "num_kv_heads")]
    [InlineData("""{"norm_eps": 0}""", "norm_eps")]
    [InlineData("""{"ffn_dim_multiplier": -1}""", "ffn_dim_multiplier")]
    [InlineData("""{"patch_size": 0}""", "patch_size")]
    public void Lumina(string json, string key)
    {
        var e = Assert.Throws<ModelFolderException>(() => LuminaNextConfig.FromJson(Json(json), "c.json"));
        Assert.Contains($"'{key}'", e.Message);
    }
}
