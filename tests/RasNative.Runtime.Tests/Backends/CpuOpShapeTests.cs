using RasNative.Loaders;
using RasNative.Runtime.Backends;
using RasNative.Runtime.Cpu;
using RasNative.Runtime.Tensors;
using Xunit;

namespace RasNative.Runtime.Tests.Backends;

/// <summary>
/// Every CPU op with shapes that disagree: the call throws one ArgumentException naming the op and writes nothing,
/// neither inside the views nor in the guard regions around them. Each case is a valid call with one thing changed.
/// </summary>
public sealed class CpuOpShapeTests
{
    /// <summary>A bad call: builds its tensors, then returns the call itself (run after the snapshot).</summary>
    sealed record Case(string Name, string Message, Func<CpuBackend, GuardedTensors, Action> Build)
    {
        public override string ToString() => Name;
    }

    static readonly Case[] Cases =
    [
        // ---- attention: Q [1, 5, 2·16], K/V [1, 7, 2·16] unless a case says otherwise ----
        new("attention query narrower than heads × head dim", "attention: query1 is [1, 5, 24], expected [1, 5, 32]",
            (b, t) => Attend(b, t, query: t.Tensor(1, 5, 24), output: t.Tensor(1, 5, 24))),
        new("attention key narrower than kv heads × head dim", "attention: key1 is [1, 7, 16], expected [1, 7, 32]",
            (b, t) => Attend(b, t, key: t.Tensor(1, 7, 16), value: t.Tensor(1, 7, 16))),
        new("attention output narrower than the query", "attention: output1 [1, 5, 16] differs in shape from query1 [1, 5, 32]",
            (b, t) => Attend(b, t, output: t.Tensor(1, 5, 16))),
        new("attention value rows differ from key rows", "attention: value1 [1, 6, 32] differs in shape from key1 [1, 7, 32]",
            (b, t) => Attend(b, t, value: t.Tensor(1, 6, 32))),
        new("attention key mask shorter than the keys", "attention: key mask is [1, 5], expected [1, 7]",
            (b, t) => Attend(b, t, mask: t.Tensor(1, 5))),
        new("attention segments of different batch", "attention: key1 is [1, 7, 32], expected [2, 7, 32]",
            (b, t) => Attend(b, t, query: t.Tensor(2, 5, 32), output: t.Tensor(2, 5, 32))),
        new("attention gqa kv heads not dividing heads", "attention: 2 heads are not a multiple of 3 kv heads",
            (b, t) => Attend(b, t, kvHeads: 3)),
        new("attention output is the query", "attention: output1 [1, 5, 32] overlaps query1 [1, 5, 32]",
            (b, t) => { var q = t.Tensor(1, 5, 32); return Attend(b, t, query: q, output: q); }),
        new("attention second query without second output", "attention: a second query segment needs a second output segment",
            (b, t) => { var args = Args(t) with { Query2 = t.Tensor(1, 3, 32) }; return () => b.Attention(args); }),
        new("attention second segments of different batch", "attention: query2 is [2, 3, 32], expected [1, 3, 32]",
            (b, t) => { var args = Args(t) with { Query2 = t.Tensor(2, 3, 32), Output2 = t.Tensor(2, 3, 32) }; return () => b.Attention(args); }),

        // ---- dense ----
        new("linear input width differs from in features", "linear [8x6]: input [3, 5] and output [3, 8] do not fit",
            (b, t) => { var w = Weight(b, 8, 6); var x = t.Tensor(3, 5); var y = t.Tensor(3, 8); return () => b.Linear(x, w, y); }),
        new("linear output overlaps its input", "linear: output [3, 6] overlaps input [3, 6]",
            (b, t) => { var w = Weight(b, 6, 6); var x = t.Tensor(4, 6); var y = GuardedTensors.Alias(x, 6, 3, 6); return () => b.Linear(x.View(3, 6), w, y); }),

        // ---- normalisation and residuals ----
        new("layernorm modulate embedding of another batch", "layernorm modulate: scale is chunk 1 of [1, 18], expected an embedding [2, k·3] holding that chunk",
            (b, t) => { var x = t.Tensor(2, 4, 3); var e = t.Tensor(1, 6 * 3); var y = t.Tensor(2, 4, 3); return () => b.LayerNormModulate(x, new(e, 1), new Modulation(e, 0), y, 1e-6f); }),
        new("layernorm modulate chunk past the embedding", "layernorm modulate: shift is chunk 2 of [2, 6]",
            (b, t) => { var x = t.Tensor(2, 4, 3); var e = t.Tensor(2, 2 * 3); var y = t.Tensor(2, 4, 3); return () => b.LayerNormModulate(x, new(e, 1), new Modulation(e, 2), y, 1e-6f); }),
        new("gated residual gate of another batch", "gated residual: gate is chunk 2 of [1, 9]",
            (b, t) => { var x = t.Tensor(2, 4, 3); var y = t.Tensor(2, 4, 3); var e = t.Tensor(1, 3 * 3); return () => b.GatedResidual(x, y, new(e, 2)); }),
        new("rms norm heads with head dim 0", "rms norm heads: head dim is 0, expected at least 1",
            (b, t) => { var x = t.Tensor(2, 4, 8); var w = t.Tensor(0); return () => b.RmsNormHeads(x, w, 0, 1e-6f); }),
        new("rms norm modulate scale of another batch", "rms norm: scale is chunk 0 of [1, 12]",
            (b, t) => { var x = t.Tensor(2, 4, 3); var w = t.Tensor(3); var e = t.Tensor(1, 4 * 3); var y = t.Tensor(2, 4, 3); return () => b.RmsNormModulate(x, w, new Modulation(e, 0), y, 1e-5f); }),
        new("layer norm output of another shape", "layer norm: output [12, 3] differs in shape from input [2, 6, 3]",
            (b, t) => { var x = t.Tensor(2, 6, 3); var w = t.Tensor(3); var bias = t.Tensor(3); var y = t.Tensor(12, 3); return () => b.LayerNorm(x, w, bias, y, 1e-5f); }),

        // ---- embeddings ----
        new("timestep embedding into a rank-3 output", "timestep embedding: output [2, 3, 8] has rank 3, expected 2",
            (b, t) => { var y = t.Tensor(2, 3, 8); return () => b.TimestepEmbedding([1f, 2f], y); }),
        new("patchify patch id outside the grid", "patchify: patch id 12 outside [0, 12)",
            (b, t) => { var latent = t.Tensor(2, 3, 8, 6); var y = t.Tensor(2, 3, 12); var ids = b.UploadIndices([5, 0, 12]); return () => b.Patchify(latent, 2, ids, y); }),
        new("patchify negative patch id", "patchify: patch id -1 outside [0, 12)",
            (b, t) => { var latent = t.Tensor(2, 3, 8, 6); var y = t.Tensor(2, 3, 12); var ids = b.UploadIndices([5, -1, 2]); return () => b.Patchify(latent, 2, ids, y); }),
        new("patchify latent not a multiple of the patch", "patchify: latent [1, 3, 7, 6] is not a multiple of patch size 2",
            (b, t) => { var latent = t.Tensor(1, 3, 7, 6); var y = t.Tensor(1, 9, 12); return () => b.Patchify(latent, 2, null, y); }),
        new("unpatchify more tokens than listed patches", "unpatchify: tokens is [2, 4, 12], expected [2, 3, 12]",
            (b, t) => { var tokens = t.Tensor(2, 4, 12); var y = t.Tensor(2, 3, 8, 6); var ids = b.UploadIndices([7, 1, 10]); return () => b.Unpatchify(tokens, 2, ids, y); }),
        new("unpatchify more tokens than the grid", "unpatchify: tokens is [2, 14, 12], expected [2, 12, 12]",
            (b, t) => { var tokens = t.Tensor(2, 14, 12); var y = t.Tensor(2, 3, 8, 6); return () => b.Unpatchify(tokens, 2, null, y); }),
        new("unpatchify patch id outside the grid", "unpatchify: patch id 40 outside [0, 12)",
            (b, t) => { var tokens = t.Tensor(2, 3, 12); var y = t.Tensor(2, 3, 8, 6); var ids = b.UploadIndices([7, 1, 40]); return () => b.Unpatchify(tokens, 2, ids, y); }),
        new("add rows id past the table", "add rows: row id 12 outside [0, 12)",
            (b, t) => { var x = t.Tensor(2, 3, 10); var table = t.Tensor(12, 10); var ids = b.UploadIndices([4, 0, 12]); return () => b.AddRows(x, table, ids); }),

        // ---- token rows ----
        new("scatter rows id past the destination", "row scatter: row id 9 outside [0, 9)",
            (b, t) => { var src = t.Tensor(2, 4, 19); var dst = t.Tensor(2, 9, 19); var ids = b.UploadIndices([8, 2, 9, 0]); return () => b.ScatterRows(src, ids, dst); }),
        new("gather rows from a rank-2 source", "row gather: source [9, 19] has rank 2, expected 3",
            (b, t) => { var src = t.Tensor(9, 19); var dst = t.Tensor(1, 4, 19); var ids = b.UploadIndices([8, 2, 3, 0]); return () => b.GatherRows(src, ids, dst); }),
        new("gather rows into an overlapping destination", "row gather: destination [2, 4, 19] overlaps source [2, 9, 19]",
            (b, t) => { var src = t.Tensor(2, 9, 19); var dst = GuardedTensors.Alias(src, 19, 2, 4, 19); var ids = b.UploadIndices([8, 2, 3, 0]); return () => b.GatherRows(src, ids, dst); }),

        // ---- elementwise and sampler ----
        new("guidance into a shifted view of its input", "guidance: output [1, 4, 9, 7] overlaps first input [1, 4, 9, 7]",
            (b, t) => { var u = t.Tensor(2, 4, 9, 7); var c = t.Tensor(1, 4, 9, 7); var y = GuardedTensors.Alias(u, 1, 1, 4, 9, 7); return () => b.Guidance(u.View(1, 4, 9, 7), c, 5f, y); }),
        new("add of different lengths", "add: second input [2, 6] holds 12 values, first input [2, 5] 10",
            (b, t) => { var x = t.Tensor(2, 5); var z = t.Tensor(2, 6); var y = t.Tensor(2, 5); return () => b.Add(x, z, y); }),
        new("silu into a shorter output", "silu: output [2, 4] holds 8 values, input [2, 5] 10",
            (b, t) => { var x = t.Tensor(2, 5); var y = t.Tensor(2, 4); return () => b.Silu(x, y); }),
        new("multiply with a shorter second input", "multiply: second input [9] holds 9 values, first input [2, 5] 10",
            (b, t) => { var x = t.Tensor(2, 5); var z = t.Tensor(9); var y = t.Tensor(2, 5); return () => b.Multiply(x, z, y); }),
        new("tanh into a longer output", "tanh: output [11] holds 11 values, input [2, 5] 10",
            (b, t) => { var x = t.Tensor(2, 5); var y = t.Tensor(11); return () => b.Tanh(x, y); }),
        new("write of fewer values than the tensor holds", "write of 9 values into Tensor[2,5]",
            (b, t) => { var y = t.Tensor(2, 5); return () => b.Write(new float[9], y); }),
        new("copy into a shifted view of its source", "copy: output [10] overlaps input [10]",
            (b, t) => { var x = t.Tensor(12); return () => b.Copy(x.View(10), GuardedTensors.Alias(x, 2, 10)); }),

        // ---- Lumina ----
        new("rope with head dim 0", "rope: head dim is 0, expected at least 1",
            (b, t) => { var x = t.Tensor(2, 7, 30); var table = t.Tensor(7, 10); return () => b.ApplyRope(x, table, 0); }),
        new("rope table of another token count", "rope: table is [8, 10], expected [7, 10]",
            (b, t) => { var x = t.Tensor(2, 7, 30); var table = t.Tensor(8, 10); return () => b.ApplyRope(x, table, 10); }),
        new("tanh-gated heads update overlapping the input", "tanh-gated heads: input [2, 5, 42] overlaps update [2, 5, 42]",
            (b, t) => { var x = t.Tensor(3, 5, 42); var gate = t.Tensor(3); return () => b.AddTanhGatedHeads(x.View(2, 5, 42), GuardedTensors.Alias(x, 42, 2, 5, 42), gate, 14); }),
        new("masked mean of a rank-2 input", "masked mean: input [9, 37] has rank 2, expected 3",
            (b, t) => { var x = t.Tensor(9, 37); var mask = t.Tensor(1, 9); var y = t.Tensor(1, 37); return () => b.MaskedMeanRows(x, mask, y); }),
        new("masked mean output overlapping the input", "masked mean: output [3, 37] overlaps input [3, 9, 37]",
            (b, t) => { var x = t.Tensor(3, 9, 37); var mask = t.Tensor(3, 9); return () => b.MaskedMeanRows(x, mask, GuardedTensors.Alias(x, 37, 3, 37)); }),
    ];

    public static TheoryData<string> Names => [.. Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void BadShapeThrowsAndWritesNothing(string name)
    {
        var @case = Cases.Single(c => c.Name == name);
        using var backend = new CpuBackend();
        var tensors = new GuardedTensors();
        var call = @case.Build(backend, tensors);
        var before = tensors.Snapshot();
        var error = Assert.ThrowsAny<ArgumentException>(call);
        Assert.StartsWith(@case.Message, error.Message);
        tensors.AssertUnchanged(before);
    }

    [Fact]
    public void DownloadIntoABufferOfAnotherLengthIsRefused()
    {
        using var backend = new CpuBackend();
        var x = new GuardedTensors().Tensor(2, 5);
        var larger = new float[11];
        Assert.Throws<ArgumentException>(() => backend.Download(x, larger));
        Assert.All(larger, v => Assert.Equal(0f, v));
    }

    /// <summary>In-place forms the models use stay allowed: the output is the input itself.</summary>
    [Fact]
    public void InPlaceCallsAreAllowed()
    {
        using var backend = new CpuBackend();
        var t = new GuardedTensors();
        var x = t.Tensor(2, 5, 6);
        backend.Multiply(x, t.Tensor(2, 5, 6), x);
        backend.Tanh(x, x);
        backend.RmsNormModulate(x, t.Tensor(6), null, x, 1e-5f);
        backend.LayerNorm(x, t.Tensor(6), t.Tensor(6), x, 1e-5f);
        backend.GatedResidual(x, x, new Modulation(t.Tensor(2, 12), 1));
        Assert.All(x.Span().ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    static AttentionArgs Args(GuardedTensors t) => new()
    {
        Query1 = t.Tensor(1, 5, 32), Key1 = t.Tensor(1, 7, 32), Value1 = t.Tensor(1, 7, 32), Output1 = t.Tensor(1, 5, 32),
        Heads = 2, HeadDim = 16, Scale = 0.25f,
    };

    static Action Attend(CpuBackend backend, GuardedTensors t, Tensor? query = null, Tensor? key = null, Tensor? value = null,
        Tensor? output = null, Tensor? mask = null, int kvHeads = 0)
    {
        var args = new AttentionArgs
        {
            Query1 = query ?? t.Tensor(1, 5, 32), Key1 = key ?? t.Tensor(1, 7, 32), Value1 = value ?? t.Tensor(1, 7, 32),
            Output1 = output ?? t.Tensor(1, 5, 32), KeyMask = mask, Heads = 2, KvHeads = kvHeads, HeadDim = 16, Scale = 0.25f,
        };
        return () => backend.Attention(args);
    }

    static LinearWeight Weight(CpuBackend backend, int outFeatures, int inFeatures) =>
        backend.UploadLinear(StoredTensor.F32(new float[outFeatures * inFeatures], outFeatures, inFeatures), [], outFeatures, inFeatures);
}
