using RasNative.Runtime.Tensors;
using static RasNative.Runtime.Backends.ShapeRules;

namespace RasNative.Runtime.Backends;

/// <summary>
/// The shape contract of every <see cref="IBackend"/> op, backend-independent: a backend calls the op's check before
/// it touches any memory, so a call whose shapes disagree throws one <see cref="ArgumentException"/> naming the op
/// and argument and writes nothing. Every extent a kernel derives from the shapes (rows × width, heads × head dim,
/// batch strides, chunk offsets) is thereby inside the views it is given; an output never overlaps an input unless
/// the op is elementwise and the output is that very input. Index lists are checked against their bounds by the
/// backend that holds them (their values live there).
/// </summary>
public static class OpChecks
{
    public static void Linear(Tensor x, LinearWeight weight, Tensor y)
    {
        const string op = "linear";
        MinRank(op, "input", x, 1);
        MinRank(op, "output", y, 1);
        if (x.Dim(-1) != weight.InFeatures || y.Dim(-1) != weight.OutFeatures || x.Rows != y.Rows)
            throw new ArgumentException($"{op} [{weight.OutFeatures}x{weight.InFeatures}]: input {Text(x)} and output {Text(y)} do not fit (expected [.., {weight.InFeatures}] → [.., {weight.OutFeatures}] over the same rows)");
        Disjoint(op, "output", y, "input", x);
    }

    public static void Attention(AttentionArgs a)
    {
        const string op = "attention";
        Positive(op, "heads", a.Heads);
        Positive(op, "head dim", a.HeadDim);
        if (a.KvHeads < 0 || a.Heads % a.EffectiveKvHeads != 0)
            throw new ArgumentException($"{op}: {a.Heads} heads are not a multiple of {a.KvHeads} kv heads");
        if ((a.Query2 == null) != (a.Output2 == null) || (a.Key2 == null) != (a.Value2 == null))
            throw new ArgumentException($"{op}: a second query segment needs a second output segment, a second key segment a second value segment");
        if ((long)a.Heads * a.HeadDim > int.MaxValue)
            throw new ArgumentException($"{op}: {a.Heads} heads × head dim {a.HeadDim} exceed any tensor width");
        Rank(op, "query1", a.Query1, 3);
        int batch = a.Query1.Dim(0), queryWidth = a.Heads * a.HeadDim, kvWidth = a.EffectiveKvHeads * a.HeadDim;
        Segment(a.Query1, "query1", batch, queryWidth, a.Output1, "output1");
        Segment(a.Key1, "key1", batch, kvWidth, a.Value1, "value1");
        if (a.Query2 != null) Segment(a.Query2, "query2", batch, queryWidth, a.Output2!, "output2");
        if (a.Key2 != null) Segment(a.Key2, "key2", batch, kvWidth, a.Value2!, "value2");
        int keys = a.Key1.Dim(1) + (a.Key2?.Dim(1) ?? 0);
        if (a.KeyMask != null) Shape(op, "key mask", a.KeyMask, batch, keys);

        ApartFromInputs(a.Output1, "output1");
        if (a.Output2 != null)
        {
            ApartFromInputs(a.Output2, "output2");
            Disjoint(op, "output2", a.Output2, "output1", a.Output1);
        }

        // [B, rows, width] for a segment, and its partner (output of a query, values of keys) of the same shape.
        void Segment(Tensor t, string name, int b, int width, Tensor partner, string partnerName)
        {
            Rank(op, name, t, 3);
            Shape(op, name, t, b, t.Dim(1), width);
            SameShape(op, partnerName, partner, t, name);
        }

        void ApartFromInputs(Tensor output, string name)
        {
            Disjoint(op, name, output, "query1", a.Query1);
            Disjoint(op, name, output, "query2", a.Query2);
            Disjoint(op, name, output, "key1", a.Key1);
            Disjoint(op, name, output, "key2", a.Key2);
            Disjoint(op, name, output, "value1", a.Value1);
            Disjoint(op, name, output, "value2", a.Value2);
            Disjoint(op, name, output, "key mask", a.KeyMask);
        }
    }

    public static void Elementwise(string op, Tensor x, Tensor y) => Elementwise(op, "input", x, y);

    public static void Elementwise(string op, Tensor a, Tensor b, Tensor y)
    {
        SameLength(op, "second input", b, a, "first input");
        Elementwise(op, "first input", a, y);
        InPlaceOrDisjoint(op, "output", y, "second input", b);
    }

    public static void LayerNormModulate(Tensor x, Modulation scale, Modulation? shift, Tensor y)
    {
        const string op = "layernorm modulate";
        Modulation(op, "scale", scale, x, "input");
        if (shift is { } s) Modulation(op, "shift", s, x, "input");
        Norm(op, x, y, "scale", scale.Embedding, "shift", shift?.Embedding);
    }

    public static void GatedResidual(Tensor x, Tensor y, Modulation gate)
    {
        const string op = "gated residual";
        Modulation(op, "gate", gate, x, "residual");
        SameShape(op, "update", y, x, "residual");
        Disjoint(op, "residual", x, "gate", gate.Embedding);
        InPlaceOrDisjoint(op, "residual", x, "update", y);
    }

    public static void RmsNormHeads(Tensor x, Tensor weight, int headDim)
    {
        const string op = "rms norm heads";
        Positive(op, "head dim", headDim);
        MinRank(op, "input", x, 1);
        if (x.Dim(-1) % headDim != 0) throw new ArgumentException($"{op}: width of {Text(x)} is not a multiple of head dim {headDim}");
        Length(op, "weight", weight, headDim, "head dim");
        Disjoint(op, "input", x, "weight", weight);
    }

    public static void TimestepEmbedding(int timesteps, Tensor y)
    {
        const string op = "timestep embedding";
        Rank(op, "output", y, 2);
        if (y.Dim(0) != timesteps || y.Dim(1) % 2 != 0)
            throw new ArgumentException($"{op}: {timesteps} timesteps into {Text(y)}, expected [{timesteps}, an even dim]");
    }

    /// <summary>Returns the number of patches written (the list's count, or the whole grid).</summary>
    public static int Patchify(Tensor latent, int patchSize, IndexList? patches, Tensor y)
    {
        const string op = "patchify";
        int grid = Grid(op, "latent", latent, patchSize);
        int count = patches?.Count ?? grid;
        Shape(op, "output", y, latent.Dim(0), count, latent.Dim(1) * patchSize * patchSize);
        Disjoint(op, "output", y, "latent", latent);
        return grid;
    }

    /// <summary>Returns the number of patches of the grid.</summary>
    public static int Unpatchify(Tensor tokens, int patchSize, IndexList? patches, Tensor y)
    {
        const string op = "unpatchify";
        int grid = Grid(op, "output", y, patchSize);
        Shape(op, "tokens", tokens, y.Dim(0), patches?.Count ?? grid, patchSize * patchSize * y.Dim(1));
        Disjoint(op, "output", y, "tokens", tokens);
        return grid;
    }

    public static void AddRows(Tensor x, Tensor table, IndexList rows)
    {
        const string op = "add rows";
        MinRank(op, "input", x, 2);
        Rank(op, "table", table, 2);
        if (table.Dim(1) != x.Dim(-1) || rows.Count != x.Dim(-2))
            throw new ArgumentException($"{op}: {Text(x)} with table {Text(table)} and {rows.Count} row ids (expected a table [R, {x.Dim(-1)}] and {x.Dim(-2)} ids)");
        Disjoint(op, "input", x, "table", table);
    }

    /// <summary>Gather and scatter: full [B, P, D] ↔ compact [B, n, D] with n ids.</summary>
    public static void MoveRows(string op, Tensor full, string fullName, Tensor compact, string compactName, IndexList indices)
    {
        Rank(op, fullName, full, 3);
        Shape(op, compactName, compact, full.Dim(0), indices.Count, full.Dim(2));
        Disjoint(op, compactName, compact, fullName, full);
    }

    public static void RmsNormModulate(Tensor x, Tensor weight, Modulation? scale, Tensor y)
    {
        const string op = "rms norm";
        if (scale is { } s) Modulation(op, "scale", s, x, "input");
        Norm(op, x, y, "weight", weight, "scale", scale?.Embedding);
        Length(op, "weight", weight, x.Dim(-1), "the width");
    }

    public static void LayerNorm(Tensor x, Tensor weight, Tensor bias, Tensor y)
    {
        const string op = "layer norm";
        Norm(op, x, y, "weight", weight, "bias", bias);
        Length(op, "weight", weight, x.Dim(-1), "the width");
        Length(op, "bias", bias, x.Dim(-1), "the width");
    }

    public static void ApplyRope(Tensor x, Tensor table, int headDim)
    {
        const string op = "rope";
        Positive(op, "head dim", headDim);
        MinRank(op, "input", x, 2);
        if (headDim % 2 != 0 || x.Dim(-1) % headDim != 0)
            throw new ArgumentException($"{op}: {Text(x)} with head dim {headDim} (expected an even head dim dividing the width)");
        Shape(op, "table", table, x.Dim(-2), headDim);
        Disjoint(op, "input", x, "table", table);
    }

    public static void AddTanhGatedHeads(Tensor x, Tensor y, Tensor gate, int headDim)
    {
        const string op = "tanh-gated heads";
        Positive(op, "head dim", headDim);
        MinRank(op, "input", x, 1);
        SameShape(op, "update", y, x, "input");
        Rank(op, "gate", gate, 1);
        if (x.Dim(-1) != (long)gate.Length * headDim)
            throw new ArgumentException($"{op}: {Text(x)} with gate {Text(gate)} and head dim {headDim} (expected width = heads × head dim)");
        Disjoint(op, "input", x, "gate", gate);
        InPlaceOrDisjoint(op, "input", x, "update", y);
    }

    public static void MaskedMeanRows(Tensor x, Tensor mask, Tensor y)
    {
        const string op = "masked mean";
        Rank(op, "input", x, 3);
        Shape(op, "mask", mask, x.Dim(0), x.Dim(1));
        Shape(op, "output", y, x.Dim(0), x.Dim(2));
        Disjoint(op, "output", y, "input", x);
        Disjoint(op, "output", y, "mask", mask);
    }

    static void Elementwise(string op, string inputName, Tensor x, Tensor y)
    {
        SameLength(op, "output", y, x, inputName);
        InPlaceOrDisjoint(op, "output", y, inputName, x);
    }

    /// <summary>A row-wise norm: y of x's shape (in place or apart), its parameters apart from y.</summary>
    static void Norm(string op, Tensor x, Tensor y, string firstName, Tensor? first, string secondName, Tensor? second)
    {
        MinRank(op, "input", x, 1);
        SameShape(op, "output", y, x, "input");
        InPlaceOrDisjoint(op, "output", y, "input", x);
        Disjoint(op, "output", y, firstName, first);
        Disjoint(op, "output", y, secondName, second);
    }

    /// <summary>A latent [B, C, H, W] cut into p × p patches; returns the patch count (H/p)·(W/p).</summary>
    static int Grid(string op, string name, Tensor latent, int patchSize)
    {
        Positive(op, "patch size", patchSize);
        Rank(op, name, latent, 4);
        if (latent.Dim(2) % patchSize != 0 || latent.Dim(3) % patchSize != 0)
            throw new ArgumentException($"{op}: {name} {Text(latent)} is not a multiple of patch size {patchSize}");
        return checked(latent.Dim(2) / patchSize * (latent.Dim(3) / patchSize));
    }
}
