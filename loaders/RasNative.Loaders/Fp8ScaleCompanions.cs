using System.Text.Json;

namespace RasNative.Loaders;

/// <summary>
/// Finds the per-tensor fp8 scale conventions of Stability / ComfyUI checkpoints among a source's tensors:
/// <list type="bullet">
/// <item><c>L.scale_weight</c> (ComfyUI "scaled_fp8" files) or <c>L.weight_scale</c> (ComfyUI's current layout):
/// a one-element float tensor scaling the fp8 tensor <c>L.weight</c>: value = decode(code) · scale.</item>
/// <item><c>L.scale_input</c> / <c>L.input_scale</c>: the activation scale of an fp8 × fp8 matmul. Activations are
/// never quantized here (weights are widened to the compute dtype, as ComfyUI does without fp8 compute), so it is
/// checked and has no effect.</item>
/// <item><c>scaled_fp8</c> (or <c>P.scaled_fp8</c>): the marker of a ComfyUI scaled_fp8 file, no values.</item>
/// <item><c>L.comfy_quant</c>: ComfyUI's per-layer JSON (U8 bytes); its "format" must name L.weight's fp8 dtype.</item>
/// </list>
/// Any other quantization tensor (e.g. <c>weight_scale_2</c>, <c>weight_scale_inv</c>, per-channel scales, zero
/// points), a scale beside a weight that is not fp8, or a companion without its weight is an error naming it.
/// </summary>
internal static class Fp8ScaleCompanions
{
    static readonly string[] WeightScaleNames = ["scale_weight", "weight_scale"];
    static readonly string[] InputScaleNames = ["scale_input", "input_scale"];
    const string Marker = "scaled_fp8", LayerConfig = "comfy_quant";
    static readonly string[] LayerConfigKeys = ["format", "full_precision_matrix_mult"];

    /// <summary>Scale per fp8 weight name, and every companion tensor folded away.</summary>
    public static (Dictionary<string, float> Scales, HashSet<string> Folded) Find(ITensorSource source)
    {
        var scales = new Dictionary<string, float>(StringComparer.Ordinal);
        var folded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in source.Tensors)
        {
            int dot = tensor.Name.LastIndexOf('.');
            string leaf = tensor.Name[(dot + 1)..];
            string weight = (dot < 0 ? "" : tensor.Name[..dot]) + ".weight";
            string where = $"{source.Description}: tensor {MessageText.Quote(tensor.Name)}";
            if (WeightScaleNames.Contains(leaf))
            {
                RequireFp8Weight(source, where, weight);
                if (scales.ContainsKey(weight))
                    throw new SafetensorsException($"{where}: {MessageText.Quote(weight)} has both a scale_weight and a weight_scale");
                scales.Add(weight, ReadScale(source, where, tensor));
            }
            else if (InputScaleNames.Contains(leaf))
            {
                RequireFp8Weight(source, where, weight);
                ReadScale(source, where, tensor);
            }
            else if (leaf == LayerConfig)
                CheckLayerConfig(source, where, tensor, RequireFp8Weight(source, where, weight));
            else if (leaf == Marker) { }
            else if (IsQuantizationName(leaf))
                throw new SafetensorsException($"{where}: unsupported quantization tensor (supported: per-tensor fp8 scales " +
                    "'*.scale_weight' / '*.weight_scale', input scales '*.scale_input' / '*.input_scale', 'scaled_fp8', '*.comfy_quant')");
            else continue;
            folded.Add(tensor.Name);
        }
        return (scales, folded);
    }

    /// <summary>Names quantization toolkits give scales, zero points and configs; a model parameter named so would need this rule refined.</summary>
    static bool IsQuantizationName(string leaf) =>
        leaf is "scale" or "scales" || leaf.StartsWith("scale_", StringComparison.Ordinal) || leaf.StartsWith("qscale", StringComparison.Ordinal)
        || leaf.EndsWith("_scale", StringComparison.Ordinal) || leaf.EndsWith("_scales", StringComparison.Ordinal)
        || leaf.Contains("_scale_", StringComparison.Ordinal) || leaf.EndsWith("_zero_point", StringComparison.Ordinal)
        || leaf.Contains("quant", StringComparison.Ordinal);

    static TensorInfo RequireFp8Weight(ITensorSource source, string where, string weight)
    {
        if (!source.Contains(weight))
            throw new SafetensorsException($"{where}: belongs to weight {MessageText.Quote(weight)}, which the file does not hold");
        var info = source.Info(weight);
        if (!info.DType.IsFloat8())
            throw new SafetensorsException($"{where}: scales {MessageText.Quote(weight)} stored as {info.DType}; only per-tensor scaled fp8 weights (F8_E4M3, F8_E5M2) are supported");
        return info;
    }

    static float ReadScale(ITensorSource source, string where, TensorInfo tensor)
    {
        if (tensor.ElementCount != 1 || !tensor.DType.IsFloatingPoint())
            throw new SafetensorsException($"{where}: a per-tensor scale must be one float value, got {tensor.DType} {tensor.ShapeText} (per-channel or block scales are not supported)");
        float value = source.ReadFloat32(tensor.Name)[0];
        if (!float.IsFinite(value) || value <= 0)
            throw new SafetensorsException($"{where}: scale {value} is not a positive finite number");
        return value;
    }

    static void CheckLayerConfig(ITensorSource source, string where, TensorInfo tensor, TensorInfo weight)
    {
        if (tensor.DType != DType.U8 || tensor.Shape.Length != 1)
            throw new SafetensorsException($"{where}: expected the layer's JSON as U8 bytes, got {tensor.DType} {tensor.ShapeText}");
        string expected = weight.DType == DType.F8_E4M3 ? "float8_e4m3fn" : "float8_e5m2";
        JsonElement root;
        try
        {
            root = StrictJson.Parse(source.ReadStored(tensor.Name).Bytes.ToArray());
        }
        catch (JsonException e)
        {
            throw new SafetensorsException($"{where}: not valid JSON ({MessageText.OneLine(e.Message)})");
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new SafetensorsException($"{where}: expected a JSON object, got {root.ValueKind}");
        foreach (var property in root.EnumerateObject())
            if (!LayerConfigKeys.Contains(property.Name))
                throw new SafetensorsException($"{where}: unsupported quantization setting {MessageText.Quote(property.Name)}");
        if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != expected)
            throw new SafetensorsException($"{where}: format {MessageText.Excerpt(format.ValueKind == JsonValueKind.Undefined ? "(none)" : format.GetRawText())} does not match the weight's {weight.DType} (expected \"{expected}\")");
    }
}
