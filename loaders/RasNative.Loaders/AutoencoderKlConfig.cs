using System.Text.Json;
using System.Text.Json.Nodes;

namespace RasNative.Loaders;

/// <summary>
/// diffusers AutoencoderKL config.json, the keys its decoder and the pipelines' latent scaling read; defaults are
/// diffusers' constructor defaults. SD3 / SD3.5: 16 latent channels, scaling 1.5305, shift 0.0609, no quant convs;
/// SDXL (Lumina-Next's VAE): 4 channels, scaling 0.13025, no shift, with quant convs.
/// </summary>
public sealed record AutoencoderKlConfig
{
    public const string ClassName = "AutoencoderKL";

    /// <summary>The only decoder block AutoencoderKL's Decoder is built from (diffusers' UpDecoderBlock2D).</summary>
    public const string UpDecoderBlock = "UpDecoderBlock2D";

    public int OutChannels { get; init; } = 3;
    public int LatentChannels { get; init; } = 4;

    /// <summary>Channels per level, encoder order (the decoder runs them reversed: widest first).</summary>
    public int[] BlockOutChannels { get; init; } = [64];

    /// <summary>The decoder's up blocks have LayersPerBlock + 1 ResNet blocks each.</summary>
    public int LayersPerBlock { get; init; } = 1;

    public int NormNumGroups { get; init; } = 32;
    public double ScalingFactor { get; init; } = 0.18215;

    /// <summary>null (the config's null or absent key): no shift, as for SDXL's VAE.</summary>
    public double? ShiftFactor { get; init; }

    public bool UseQuantConv { get; init; } = true;
    public bool UsePostQuantConv { get; init; } = true;
    public bool MidBlockAddAttention { get; init; } = true;

    /// <summary>Decoder levels (one per block_out_channels entry).</summary>
    public int Levels => BlockOutChannels.Length;

    /// <summary>Image pixels per latent pixel along each axis: 2^(levels − 1), as diffusers' vae_scale_factor.</summary>
    public int SpatialScale => 1 << (Levels - 1);

    /// <param name="source">Named in error messages (normally the config.json path).</param>
    public static AutoencoderKlConfig FromJson(JsonElement json, string source = "config.json")
    {
        var config = new ConfigReader(json, source);
        var defaults = new AutoencoderKlConfig();
        var blocks = config.IntArray("block_out_channels");
        var upBlocks = config.StringArray("up_block_types");
        string activation = config.NullableString("act_fn") ?? "silu";
        if (activation != "silu")
            throw new ModelFolderException($"{source}: key 'act_fn' is '{MessageText.OneLine(activation)}'; only \"silu\" (every released AutoencoderKL) is supported");
        var result = new AutoencoderKlConfig
        {
            OutChannels = config.Int("out_channels", defaults.OutChannels, 1, MaxChannels),
            LatentChannels = config.Int("latent_channels", defaults.LatentChannels, 1, MaxChannels),
            BlockOutChannels = blocks.Length == 0 ? defaults.BlockOutChannels : blocks,
            LayersPerBlock = config.Int("layers_per_block", defaults.LayersPerBlock, 0, MaxLayers),
            NormNumGroups = config.Int("norm_num_groups", defaults.NormNumGroups, 1, MaxChannels),
            ScalingFactor = config.Double("scaling_factor", defaults.ScalingFactor, 1e-6, 1e6),
            ShiftFactor = config.NullableDouble("shift_factor") is null ? null : config.Double("shift_factor", 0, -1e6, 1e6),
            UseQuantConv = config.Bool("use_quant_conv", defaults.UseQuantConv),
            UsePostQuantConv = config.Bool("use_post_quant_conv", defaults.UsePostQuantConv),
            MidBlockAddAttention = config.Bool("mid_block_add_attention", defaults.MidBlockAddAttention),
        };
        if (upBlocks.Length != 0 && upBlocks.Length != result.Levels)
            throw new ModelFolderException($"{source}: key 'up_block_types' lists {upBlocks.Length} blocks but block_out_channels {result.Levels}");
        foreach (var block in upBlocks)
            if (block != UpDecoderBlock)
                throw new ModelFolderException($"{source}: key 'up_block_types' names '{MessageText.OneLine(block)}'; only \"{UpDecoderBlock}\" is supported");
        return result.Validated(source);
    }

    // Far above every released VAE (4 levels of at most 512 channels, 2–3 ResNets per block); they keep every size the
    // decoder derives inside int arithmetic for the images MemoryBudget lets through.
    const int MaxChannels = 4096, MaxLayers = 16, MaxLevels = 8;

    /// <summary>Checks what single keys cannot (levels, group divisibility); errors name the key.</summary>
    public AutoencoderKlConfig Validated(string source)
    {
        void Require(bool condition, string key, string message)
        {
            if (!condition) throw new ModelFolderException($"{source}: key '{key}' {message}");
        }
        Require(Levels is >= 1 and <= MaxLevels, "block_out_channels", $"has {Levels} levels; 1 to {MaxLevels} are supported");
        foreach (var channels in BlockOutChannels)
        {
            Require(channels is >= 1 and <= MaxChannels, "block_out_channels", $"entry {channels} is outside 1..{MaxChannels}");
            Require(channels % NormNumGroups == 0, "norm_num_groups", $"{NormNumGroups} does not divide block_out_channels entry {channels} (GroupNorm)");
        }
        return this;
    }

    /// <summary>The config as diffusers writes it (so a saved preset loads in diffusers and in RasNative).</summary>
    public JsonObject ToJsonObject() => new()
    {
        ["_class_name"] = ClassName,
        ["act_fn"] = "silu",
        ["block_out_channels"] = new JsonArray([.. BlockOutChannels.Select(c => (JsonNode?)c)]),
        ["down_block_types"] = new JsonArray([.. BlockOutChannels.Select(_ => (JsonNode?)"DownEncoderBlock2D")]),
        ["in_channels"] = 3,
        ["latent_channels"] = LatentChannels,
        ["layers_per_block"] = LayersPerBlock,
        ["mid_block_add_attention"] = MidBlockAddAttention,
        ["norm_num_groups"] = NormNumGroups,
        ["out_channels"] = OutChannels,
        ["scaling_factor"] = ScalingFactor,
        ["shift_factor"] = ShiftFactor,
        ["up_block_types"] = new JsonArray([.. BlockOutChannels.Select(_ => (JsonNode?)UpDecoderBlock)]),
        ["use_post_quant_conv"] = UsePostQuantConv,
        ["use_quant_conv"] = UseQuantConv,
    };
}
