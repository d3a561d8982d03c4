using System.Text.Json;
using System.Text.Json.Nodes;

namespace RasNative.Loaders.SingleFile.Inference;

/// <summary>
/// AutoencoderKL's config from its tensors (diffusers names). Measured: latent_channels, block_out_channels,
/// layers_per_block, in/out_channels, use_quant_conv / use_post_quant_conv, mid_block_add_attention (from the
/// decoder when the file has one, else the encoder). Assumed, as SD3's released vae/config.json: GroupNorm of
/// 32 groups, SiLU, sample_size 1024, and — only when the file also holds an SD3 / SD3.5 MMDiT —
/// scaling_factor 1.5305 / shift_factor 0.0609 (SD3's; a VAE-only file does not say them).
/// </summary>
internal sealed class VaeConfigInference : ConfigInference
{
    const double Sd3ScalingFactor = 1.5305, Sd3ShiftFactor = 0.0609;
    readonly bool besideSd3;
    readonly int levels;

    /// <param name="besideSd3">The file also holds an SD3 / SD3.5 MMDiT, so this is SD3's VAE.</param>
    public VaeConfigInference(ShapeView view, bool besideSd3) : base(view)
    {
        this.besideSd3 = besideSd3;
        bool decoder = view.Has("decoder.conv_in.weight"), encoder = view.Has("encoder.conv_in.weight");
        if (!decoder && !encoder) view.Shape("decoder.conv_in.weight", 4);
        var measured = new List<Measured>();
        if (decoder)
        {
            levels = BlockIndices.Count(view.Names, "decoder.up_blocks.", view.Where, "decoder.up_blocks.");
            var channels = Enumerable.Range(0, levels).Select(i => view.Dim($"decoder.up_blocks.{i}.resnets.0.conv2.weight", 4, 0)).Reverse().ToArray();
            int resnets = BlockIndices.Count(view.Names, "decoder.up_blocks.0.resnets.", view.Where, "decoder.up_blocks.0.resnets.");
            measured.Add(new("latent_channels", view.Dim("decoder.conv_in.weight", 4, 1), view.Show("decoder.conv_in.weight")));
            measured.Add(new("block_out_channels", IntArray(channels), $"decoder up blocks, {view.Show("decoder.up_blocks.0.resnets.0.conv2.weight")} the widest"));
            // diffusers' decoder up blocks have layers_per_block + 1 resnets.
            measured.Add(new("layers_per_block", resnets - 1, $"{resnets} resnets in decoder.up_blocks.0"));
            measured.Add(new("out_channels", view.Dim("decoder.conv_out.weight", 4, 0), view.Show("decoder.conv_out.weight")));
        }
        else
        {
            levels = BlockIndices.Count(view.Names, "encoder.down_blocks.", view.Where, "encoder.down_blocks.");
            var channels = Enumerable.Range(0, levels).Select(i => view.Dim($"encoder.down_blocks.{i}.resnets.0.conv2.weight", 4, 0)).ToArray();
            int resnets = BlockIndices.Count(view.Names, "encoder.down_blocks.0.resnets.", view.Where, "encoder.down_blocks.0.resnets.");
            // The encoder's conv_out gives mean and log-variance (double_z): 2 · latent_channels.
            measured.Add(new("latent_channels", view.Dim("encoder.conv_out.weight", 4, 0) / 2, view.Show("encoder.conv_out.weight")));
            measured.Add(new("block_out_channels", IntArray(channels), "encoder down blocks"));
            measured.Add(new("layers_per_block", resnets, $"{resnets} resnets in encoder.down_blocks.0"));
        }
        if (levels == 0) throw view.Error($"not {view.What}: no {(decoder ? "decoder up" : "encoder down")} blocks");
        if (encoder) measured.Add(new("in_channels", view.Dim("encoder.conv_in.weight", 4, 1), view.Show("encoder.conv_in.weight")));
        string coder = decoder ? "decoder" : "encoder";
        measured.Add(new("mid_block_add_attention", view.Has($"{coder}.mid_block.attentions.0.to_q.weight"), $"{coder}.mid_block.attentions.0 {(view.Has($"{coder}.mid_block.attentions.0.to_q.weight") ? "present" : "absent")}"));
        measured.Add(new("use_quant_conv", view.Has("quant_conv.weight"), $"quant_conv {(view.Has("quant_conv.weight") ? "present" : "absent")}"));
        measured.Add(new("use_post_quant_conv", view.Has("post_quant_conv.weight"), $"post_quant_conv {(view.Has("post_quant_conv.weight") ? "present" : "absent")}"));
        Measured = measured;
    }

    public override IReadOnlyList<Measured> Measured { get; }

    public override JsonObject Infer(string hint)
    {
        if (!besideSd3)
            throw View.Error($"a VAE without an SD3 transformer beside it does not say its scaling_factor / shift_factor: {hint}");
        return Compose(new JsonObject
        {
            ["_class_name"] = "AutoencoderKL",
            ["act_fn"] = "silu",
            ["down_block_types"] = new JsonArray([.. Enumerable.Range(0, levels).Select(_ => (JsonNode?)"DownEncoderBlock2D")]),
            ["force_upcast"] = true,
            ["in_channels"] = 3,
            ["latents_mean"] = null,
            ["latents_std"] = null,
            ["norm_num_groups"] = 32,
            ["out_channels"] = 3,
            ["sample_size"] = 1024,
            ["scaling_factor"] = Sd3ScalingFactor,
            ["shift_factor"] = Sd3ShiftFactor,
            ["up_block_types"] = new JsonArray([.. Enumerable.Range(0, levels).Select(_ => (JsonNode?)"UpDecoderBlock2D")]),
        });
    }

    /// <summary>diffusers' AutoencoderKL constructor defaults.</summary>
    protected override JsonNode? DefaultOf(string key, JsonElement given) => key switch
    {
        "in_channels" or "out_channels" => 3,
        "latent_channels" => 4,
        "block_out_channels" => new JsonArray(64),
        "layers_per_block" => 1,
        "mid_block_add_attention" or "use_quant_conv" or "use_post_quant_conv" => true,
        _ => null,
    };
}
