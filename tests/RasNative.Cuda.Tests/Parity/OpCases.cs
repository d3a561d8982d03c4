using RasNative.Loaders;
using RasNative.Runtime.Backends;

namespace RasNative.Cuda.Tests.Parity;

/// <summary>Every IBackend op with odd sizes, optional arguments both ways, in one list shared by the parity tests.</summary>
public static class OpCases
{
    public static IReadOnlyList<OpCase> All { get; } =
    [
        new("silu", h => h.Backend.Silu(h.Input(4f, 3, 7, 33), h.Output(3, 7, 33))),
        new("add", h => h.Backend.Add(h.Input(2, 5, 31), h.Input(2, 5, 31), h.Output(2, 5, 31))),
        new("copy", h => h.Backend.Copy(h.Input(3, 29), h.Output(3, 29))),
        new("fill", h => h.Backend.Fill(h.Output(5, 13), -0.375f)),
        new("silu aligned", h => h.Backend.Silu(h.Input(4f, 3, 7, 40), h.AlignedOutput(3, 7, 40))),
        new("add aligned", h => h.Backend.Add(h.Input(2, 5, 32), h.Input(2, 5, 32), h.AlignedOutput(2, 5, 32))),
        new("multiply aligned tail", h => h.Backend.Multiply(h.Input(3, 43), h.Input(3, 43), h.AlignedOutput(3, 43))),
        new("fill aligned tail", h => h.Backend.Fill(h.AlignedOutput(5, 21), 0.625f)),
        new("tanh aligned in place", h =>
        {
            var x = h.AlignedOutput(2, 48);
            h.Backend.Tanh(x, x);
        }),
        new("linear bias gelu erf aligned", h => Linear(h, bias: true, Activation.Gelu, outputs: 24, aligned: true)),
        new("linear silu aligned", h => Linear(h, bias: false, Activation.Silu, outputs: 16, aligned: true)),
        new("gated residual aligned", h => h.Backend.GatedResidual(h.AlignedOutput(2, 5, 40), h.Input(2, 5, 40), new Modulation(h.Input(2, 3 * 40), 2))),
        new("linear", h => Linear(h, bias: false, Activation.None)),
        new("linear bias", h => Linear(h, bias: true, Activation.None)),
        new("linear bias gelu", h => Linear(h, bias: true, Activation.GeluTanh)),
        new("linear silu", h => Linear(h, bias: false, Activation.Silu)),
        new("linear f16 weights bias", h => Linear(h, bias: true, Activation.None, DType.F16)),
        new("linear bf16 weights", h => Linear(h, bias: false, Activation.None, DType.BF16)),
        new("linear e4m3 scaled weights bias gelu", h => Linear(h, bias: true, Activation.GeluTanh, DType.F8_E4M3, scale: 0.0213f)),
        new("linear e5m2 weights silu", h => Linear(h, bias: false, Activation.Silu, DType.F8_E5M2)),
        new("linear bias gelu erf", h => Linear(h, bias: true, Activation.Gelu)),
        new("linear bias quick gelu", h => Linear(h, bias: true, Activation.QuickGelu)),
        new("linear bf16 weights gelu erf", h => Linear(h, bias: false, Activation.Gelu, DType.BF16)),
        new("linear parts bias", h => LinearParts(h, outputs: 24, bias: true)),
        new("linear parts unaligned bias", h => LinearParts(h, outputs: 19, bias: true)),
        new("linear parts", h => LinearParts(h, outputs: 13, bias: false)),
        new("linear parts e4m3 scales bias", h => LinearParts(h, outputs: 16, bias: true, DType.F8_E4M3, [0.031f, 0.0125f, 0.02f])),
        new("layernorm modulate", h => h.Backend.LayerNormModulate(h.Input(3f, 2, 7, 45), new Modulation(h.Input(2, 6 * 45), 1),
            new Modulation(h.Input(2, 6 * 45), 0), h.Output(2, 7, 45), 1e-6f)),
        new("layernorm modulate no shift", h => h.Backend.LayerNormModulate(h.Input(2, 3, 290), new Modulation(h.Input(2, 2 * 290), 1),
            null, h.Output(2, 3, 290), 1e-6f)),
        new("gated residual", h => h.Backend.GatedResidual(h.Output(2, 5, 37), h.Input(2, 5, 37), new Modulation(h.Input(2, 3 * 37), 2))),
        new("gated residual layernorm modulate", h => h.Backend.GatedResidualLayerNormModulate(h.Output(2, 5, 45), h.Input(2, 5, 45),
            new Modulation(h.Input(2, 6 * 45), 2), new Modulation(h.Input(2, 6 * 45), 4), new Modulation(h.Input(2, 6 * 45), 3), h.Output(2, 5, 45), 1e-6f)),
        new("gated residual layernorm modulate no shift", h => h.Backend.GatedResidualLayerNormModulate(h.Output(2, 3, 290), h.Input(2, 3, 290),
            new Modulation(h.Input(2, 3 * 290), 0), new Modulation(h.Input(2, 3 * 290), 1), null, h.Output(2, 3, 290), 1e-6f)),
        new("rmsnorm heads", h => h.Backend.RmsNormHeads(h.Output(2, 5, 3 * 24), h.Input(24), 24, 1e-6f)),
        new("timestep embedding", h => h.Backend.TimestepEmbedding([0.5f, 999f, 251.25f], h.Output(3, 256))),
        new("timestep embedding small", h => h.Backend.TimestepEmbedding([3f], h.Output(1, 34))),
        new("patchify", h => h.Backend.Patchify(h.Input(2, 3, 8, 6), 2, null, h.Output(2, 12, 12))),
        new("patchify indices", h => h.Backend.Patchify(h.Input(2, 3, 8, 6), 2, h.Indices(5, 0, 11), h.Output(2, 3, 12))),
        new("unpatchify", h => h.Backend.Unpatchify(h.Input(2, 12, 12), 2, null, h.Output(2, 3, 8, 6))),
        // y [2, 3, 8, 6]: a 4 × 3 grid of 2 × 2 patches, only patches 7, 1 and 10 written.
        new("unpatchify indices", h => h.Backend.Unpatchify(h.Input(2, 3, 12), 2, h.Indices(7, 1, 10),
            h.PartialOutput(i => (i / 6 % 8 / 2 * 3 + i % 6 / 2) is 7 or 1 or 10, 2, 3, 8, 6))),
        new("add rows", h => h.Backend.AddRows(h.Output(2, 3, 10), h.Input(12, 10), h.Indices(4, 0, 11))),
        new("gather rows", h => h.Backend.GatherRows(h.Input(2, 9, 19), h.Indices(8, 2, 3, 0), h.Output(2, 4, 19))),
        new("scatter rows", h => h.Backend.ScatterRows(h.Input(2, 4, 19), h.Indices(8, 2, 3, 0), h.PartialOutput(i => i / 19 % 9 is 8 or 2 or 3 or 0, 2, 9, 19))),
        new("gather rows aligned", h => h.Backend.GatherRows(h.Input(2, 9, 32), h.Indices(8, 2, 3, 0), h.AlignedOutput(2, 4, 32))),
        new("scatter rows aligned", h => h.Backend.ScatterRows(h.Input(2, 4, 40), h.Indices(8, 2, 3, 0), h.AlignedPartialOutput(i => i / 40 % 9 is 8 or 2 or 3 or 0, 2, 9, 40))),
        new("guidance", h => h.Backend.Guidance(h.Input(2, 4, 9, 7), h.Input(2, 4, 9, 7), 7f, h.Output(2, 4, 9, 7))),
        new("attention", h => Attention(h, heads: 3, kvHeads: 0, [13], [17])),
        new("attention joint segments", h => Attention(h, heads: 3, kvHeads: 0, [11, 5], [19, 7])),
        new("attention gqa", h => Attention(h, heads: 4, kvHeads: 2, [13], [17])),
        new("attention gqa segments mask", h => Attention(h, heads: 6, kvHeads: 2, [11, 5], [19, 7], mask: KeyMasking.Scattered)),
        new("attention causal", h => Attention(h, heads: 3, kvHeads: 0, [13], [13], causal: true)),
        new("attention causal mask", h => Attention(h, heads: 2, kvHeads: 0, [13], [13], mask: KeyMasking.Scattered, causal: true)),
        new("attention position bias", h => Attention(h, heads: 4, kvHeads: 0, [13], [17], positionBias: true)),
        new("attention position bias segments mask", h => Attention(h, heads: 4, kvHeads: 2, [11, 5], [19, 7], mask: KeyMasking.Scattered, positionBias: true)),
        // The flash kernel's tiles: 64 (float32) or 128 (16-bit, padded head dim ≤ 64) query rows, 16 or 64 keys, so
        // these straddle the image/text boundary in both, leave ragged last tiles and cover every padded head dim.
        new("attention d8 odd tokens", h => Attention(h, heads: 2, kvHeads: 0, [37], [29], headDim: 8)),
        new("attention d16 straddling segments", h => Attention(h, heads: 3, kvHeads: 0, [131, 9], [70, 13], headDim: 16)),
        new("attention d36 unaligned rows", h => Attention(h, heads: 2, kvHeads: 0, [21, 50], [33, 40], headDim: 36, mask: KeyMasking.Scattered)),
        new("attention d64 straddling segments", h => Attention(h, heads: 2, kvHeads: 0, [133, 7], [150, 11], headDim: 64)),
        new("attention d72 gqa segments mask", h => Attention(h, heads: 4, kvHeads: 2, [45, 22], [70, 30], headDim: 72, mask: KeyMasking.Scattered)),
        new("attention d80 gqa padding mask", h => Attention(h, heads: 8, kvHeads: 2, [40, 11], [100, 60], headDim: 80, mask: KeyMasking.Padding)),
        new("attention d64 causal position bias mask", h => Attention(h, heads: 2, kvHeads: 0, [150], [150], headDim: 64,
            mask: KeyMasking.Scattered, causal: true, positionBias: true)),
        new("attention d96 score matrix path", h => Attention(h, heads: 2, kvHeads: 0, [13, 5], [19, 7], headDim: 96, mask: KeyMasking.Scattered)),
        new("embedding f32", h => Embedding(h, DType.F32)),
        new("embedding bf16", h => Embedding(h, DType.BF16)),
        new("embedding f16", h => Embedding(h, DType.F16)),
        new("embedding e4m3 scaled", h => Embedding(h, DType.F8_E4M3, scale: 0.0125f)),
        new("rmsnorm modulate", h => h.Backend.RmsNormModulate(h.Input(3f, 2, 7, 45), h.Input(45), new Modulation(h.Input(2, 4 * 45), 3),
            h.Output(2, 7, 45), 1e-6f)),
        new("rmsnorm modulate in place no scale", h =>
        {
            var x = h.Output(3, 5, 290);
            h.Backend.RmsNormModulate(x, h.Input(290), null, x, 1e-5f);
        }),
        new("layernorm affine", h => h.Backend.LayerNorm(h.Input(3f, 2, 7, 45), h.Input(45), h.Input(45), h.Output(2, 7, 45), 1e-6f)),
        new("layernorm affine in place", h =>
        {
            var x = h.Output(5, 299);
            h.Backend.LayerNorm(x, h.Input(299), h.Input(299), x, 1e-5f);
        }),
        new("apply rope", h => h.Backend.ApplyRope(h.Output(2, 7, 3 * 10), h.Input(7, 10), 10)),
        new("multiply", h => h.Backend.Multiply(h.Input(2, 5, 31), h.Input(2, 5, 31), h.Output(2, 5, 31))),
        new("tanh", h => h.Backend.Tanh(h.Input(3f, 3, 7, 33), h.Output(3, 7, 33))),
        new("add tanh gated heads", h => h.Backend.AddTanhGatedHeads(h.Output(2, 5, 3 * 14), h.Input(2, 5, 3 * 14), h.Input(2f, 3), 14)),
        new("masked mean rows", h => h.Backend.MaskedMeanRows(h.Input(3, 9, 37),
            h.Constant([.. Enumerable.Range(0, 3 * 9).Select(i => i % 9 < 3 + 2 * (i / 9) ? 1f : 0f)], 3, 9), h.Output(3, 37))),
        new("conv2d 3x3", h => Conv2d(h, batch: 2, height: 5, width: 7, inChannels: 6, outChannels: 11, kernel: 3, upsample: false)),
        new("conv2d 3x3 upsample", h => Conv2d(h, batch: 1, height: 4, width: 3, inChannels: 9, outChannels: 5, kernel: 3, upsample: true)),
        new("conv2d 1x1", h => Conv2d(h, batch: 2, height: 3, width: 5, inChannels: 7, outChannels: 13, kernel: 1, upsample: false)),
        new("conv2d 1x1 upsample", h => Conv2d(h, batch: 1, height: 3, width: 2, inChannels: 4, outChannels: 6, kernel: 1, upsample: true)),
        new("conv2d 3x3 bf16 weights", h => Conv2d(h, batch: 1, height: 6, width: 4, inChannels: 8, outChannels: 19, kernel: 3, upsample: false, DType.BF16)),
        new("group norm", h => h.Backend.GroupNorm(h.Input(3f, 2, 5, 7, 12), h.Input(12), h.Input(12), 4, 1e-6f, false, h.Output(2, 5, 7, 12))),
        new("group norm silu in place", h =>
        {
            var x = h.Output(1, 9, 11, 40);
            h.Backend.GroupNorm(x, h.Input(40), h.Input(40), 8, 1e-6f, true, x);
        }),
        new("group norm chunked", h => h.Backend.GroupNorm(h.Input(2f, 1, 300, 70, 8), h.Input(8), h.Input(8), 2, 1e-6f, true, h.Output(1, 300, 70, 8))),
    ];

    /// <summary>A Conv2d on channels-last images; its weight [out, kernel²·in] (the permuted layout) stored as <paramref name="storage"/>.</summary>
    static void Conv2d(OpHarness h, int batch, int height, int width, int inChannels, int outChannels, int kernel, bool upsample, DType storage = DType.F32)
    {
        int depth = kernel * kernel * inChannels, scale = upsample ? 2 : 1;
        var weight = new StoredTensor(storage, FloatFormats.Narrow(storage, h.Values(0.4f, outChannels * depth)), [outChannels, depth]);
        var conv = h.Backend.UploadLinear(weight, h.Values(0.5f, outChannels), outChannels, depth);
        h.Backend.Conv2d(h.Input(batch, height, width, inChannels), conv, kernel, upsample, h.Output(batch, height * scale, width * scale, outChannels));
    }

    /// <summary>
    /// A Linear whose weight is stored as <paramref name="storage"/> (the same bytes for both backends; fp8 with a
    /// per-tensor scale); the CUDA backend keeps it narrow where its dtype is wider and widens it per GEMM.
    /// </summary>
    static void Linear(OpHarness h, bool bias, Activation activation, DType storage = DType.F32, float scale = 1f, int outputs = 19, bool aligned = false)
    {
        const int rows = 11, inputs = 37;
        var values = h.Values(storage.IsFloat8() ? 0.3f / scale : 0.3f, outputs * inputs);
        var weight = new StoredTensor(storage, FloatFormats.Narrow(storage, values), [outputs, inputs], scale);
        var linear = h.Backend.UploadLinear(weight, bias ? h.Values(0.5f, outputs) : [], outputs, inputs);
        h.Backend.Linear(h.Input(rows, inputs), linear, aligned ? h.AlignedOutput(rows, outputs) : h.Output(rows, outputs), activation);
    }

    /// <summary>
    /// A Linear of three parts (to_q/to_k/to_v fused) into y [3, rows, out]; <paramref name="outputs"/> decides whether each
    /// part's bias is 16-byte aligned (then the CUDA matmul's epilogue adds it) or not (a kernel does).
    /// </summary>
    static void LinearParts(OpHarness h, int outputs, bool bias, DType storage = DType.F32, float[]? scales = null)
    {
        const int inputs = 37, parts = 3;
        scales ??= [1f, 1f, 1f];
        var bytes = new List<byte>();
        foreach (var scale in scales)
            bytes.AddRange(FloatFormats.Narrow(storage, h.Values(storage.IsFloat8() ? 0.3f / scale : 0.3f, outputs * inputs)));
        var weight = new StoredTensor(storage, bytes.ToArray(), [parts * outputs, inputs]);
        var linear = h.Backend.UploadLinearParts(weight, scales, bias ? h.Values(0.5f, parts * outputs) : [], outputs, inputs);
        h.Backend.Linear(h.Input(2, 5, inputs), linear, h.Output(parts, 2, 5, outputs));
    }

    /// <summary>A token embedding lookup from a table stored as <paramref name="storage"/>, ids in any order with repeats.</summary>
    static void Embedding(OpHarness h, DType storage, float scale = 1f)
    {
        const int rows = 29, width = 37;
        var values = h.Values(storage.IsFloat8() ? 0.5f / scale : 0.5f, rows * width);
        var table = h.Backend.UploadEmbedding(new StoredTensor(storage, FloatFormats.Narrow(storage, values), [rows, width], scale), rows, width);
        h.Backend.Embedding(table, h.Indices(3, 28, 0, 3, 17, 9, 11, 28, 1, 5), h.Output(2, 5, width));
    }

    /// <summary>Which keys a case masks: none; a scattered pattern (every fifth key, the last two); or caption padding
    /// (batch row 0 keeps its first 40 % of keys, so whole key tiles are masked, and batch row 1 masks every key,
    /// whose rows must come out as zeros).</summary>
    enum KeyMasking { None, Scattered, Padding }

    /// <summary>
    /// Attention over query and key/value segments of the given rows (one or two segments each; the causal cases
    /// have as many queries as keys, as CLIP); with <paramref name="positionBias"/> a [buckets, heads] table and
    /// bucket ids per relative position (T5).
    /// </summary>
    static void Attention(OpHarness h, int heads, int kvHeads, int[] queryRows, int[] keyRows, int headDim = 24,
        KeyMasking mask = KeyMasking.None, bool causal = false, bool positionBias = false)
    {
        const int batch = 2, buckets = 9;
        int kv = kvHeads == 0 ? heads : kvHeads;
        var q = queryRows.Select(r => h.Input(2f, batch, r, heads * headDim)).ToArray();
        var k = keyRows.Select(r => h.Input(2f, batch, r, kv * headDim)).ToArray();
        var v = keyRows.Select(r => h.Input(batch, r, kv * headDim)).ToArray();
        var o = queryRows.Select(r => h.Output(batch, r, heads * headDim)).ToArray();
        int keys = keyRows.Sum();
        bool Masked(int b, int j) => mask switch
        {
            KeyMasking.Scattered => (b * keys + j) % 5 == 3 || j > keys - 3,
            KeyMasking.Padding => b == 1 || j >= keys * 2 / 5,
            _ => false,
        };
        var maskValues = Enumerable.Range(0, batch * keys).Select(i => Masked(i / keys, i % keys) ? 0f : 1f).ToArray();
        h.Backend.Attention(new AttentionArgs
        {
            Query1 = q[0], Query2 = q.ElementAtOrDefault(1),
            Key1 = k[0], Key2 = k.ElementAtOrDefault(1),
            Value1 = v[0], Value2 = v.ElementAtOrDefault(1),
            Output1 = o[0], Output2 = o.ElementAtOrDefault(1),
            Heads = heads, KvHeads = kvHeads, HeadDim = headDim, Scale = 1f / MathF.Sqrt(headDim),
            KeyMask = mask != KeyMasking.None ? h.Constant(maskValues, batch, keys) : null,
            Causal = causal,
            PositionBias = positionBias
                ? new RelativePositionBias(h.Input(3f, buckets, heads), h.Indices([.. Enumerable.Range(0, queryRows.Sum() + keys - 1).Select(r => r * 7 % buckets)]))
                : null,
        });
    }
}
