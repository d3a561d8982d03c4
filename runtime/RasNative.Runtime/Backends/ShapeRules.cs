using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Backends;

/// <summary>
/// The building blocks of <see cref="OpChecks"/>: each throws one <see cref="ArgumentException"/> line naming the op,
/// the argument and what was expected.
/// </summary>
internal static class ShapeRules
{
    public static void Rank(string op, string name, Tensor t, int rank)
    {
        if (t.Rank != rank) throw new ArgumentException($"{op}: {name} {Text(t)} has rank {t.Rank}, expected {rank}");
    }

    public static void MinRank(string op, string name, Tensor t, int rank)
    {
        if (t.Rank < rank) throw new ArgumentException($"{op}: {name} {Text(t)} has rank {t.Rank}, expected at least {rank}");
    }

    /// <summary><paramref name="t"/> is exactly <paramref name="shape"/>.</summary>
    public static void Shape(string op, string name, Tensor t, params ReadOnlySpan<int> shape)
    {
        if (!t.Shape.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"{op}: {name} is {Text(t)}, expected [{string.Join(", ", shape.ToArray())}]");
    }

    public static void SameShape(string op, string name, Tensor t, Tensor like, string likeName)
    {
        if (!t.Shape.AsSpan().SequenceEqual(like.Shape))
            throw new ArgumentException($"{op}: {name} {Text(t)} differs in shape from {likeName} {Text(like)}");
    }

    public static void SameLength(string op, string name, Tensor t, Tensor like, string likeName)
    {
        if (t.Length != like.Length)
            throw new ArgumentException($"{op}: {name} {Text(t)} holds {t.Length} values, {likeName} {Text(like)} {like.Length}");
    }

    public static void Length(string op, string name, Tensor t, long length, string meaning)
    {
        if (t.Length != length) throw new ArgumentException($"{op}: {name} {Text(t)} holds {t.Length} values, expected {meaning} = {length}");
    }

    public static void Positive(string op, string name, int value)
    {
        if (value < 1) throw new ArgumentException($"{op}: {name} is {value}, expected at least 1");
    }

    /// <summary>
    /// A chunk of an adaptive-norm embedding for x [B, T, width]: x has rank 3 and the embedding is [B, k·width], one row
    /// per batch row of x, holding chunk <c>Chunk</c>.
    /// </summary>
    public static void Modulation(string op, string name, Modulation m, Tensor x, string xName)
    {
        Rank(op, xName, x, 3);
        var e = m.Embedding;
        int batch = x.Dim(0), width = x.Dim(2);
        if (e.Rank != 2 || e.Dim(0) != batch || m.Chunk < 0 || (m.Chunk + 1L) * width > e.Dim(1))
            throw new ArgumentException($"{op}: {name} is chunk {m.Chunk} of {Text(e)}, expected an embedding [{batch}, k·{width}] holding that chunk");
    }

    /// <summary>The output is either the input itself (in place) or shares no element with it.</summary>
    public static void InPlaceOrDisjoint(string op, string outputName, Tensor output, string inputName, Tensor input)
    {
        bool same = ReferenceEquals(output.Storage, input.Storage) && output.Offset == input.Offset && output.Length == input.Length;
        if (!same) Disjoint(op, outputName, output, inputName, input);
    }

    /// <summary>The output shares no element with the input (a kernel reading one while writing the other would see its own writes).</summary>
    public static void Disjoint(string op, string outputName, Tensor output, string inputName, Tensor? input)
    {
        if (input != null && Overlap(output, input))
            throw new ArgumentException($"{op}: {outputName} {Text(output)} overlaps {inputName} {Text(input)}");
    }

    static bool Overlap(Tensor a, Tensor b) =>
        ReferenceEquals(a.Storage, b.Storage) && a.Length > 0 && b.Length > 0 &&
        a.Offset < b.Offset + b.Length && b.Offset < a.Offset + a.Length;

    /// <summary>A tensor's shape as the messages write it: [2, 5, 31].</summary>
    public static string Text(Tensor t) => $"[{string.Join(", ", t.Shape)}]";
}
