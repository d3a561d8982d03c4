namespace RasNative.Tokenizers.SentencePiece;

/// <summary>A trie over UTF-8 byte strings with an int value per key; walked one byte at a time.</summary>
sealed class ByteTrie
{
    public const int Root = 0;

    readonly Dictionary<long, int> edges = new();
    readonly List<int> values = [-1];

    public void Add(ReadOnlySpan<byte> key, int value)
    {
        int node = Root;
        foreach (byte b in key)
        {
            if (!edges.TryGetValue(Edge(node, b), out int child))
            {
                child = values.Count;
                values.Add(-1);
                edges[Edge(node, b)] = child;
            }
            node = child;
        }
        values[node] = value;
    }

    /// <summary>The child of <paramref name="node"/> along <paramref name="b"/>, or -1.</summary>
    public int Step(int node, byte b) => edges.TryGetValue(Edge(node, b), out int child) ? child : -1;

    /// <summary>The value stored for the key ending at <paramref name="node"/>, or -1.</summary>
    public int ValueAt(int node) => values[node];

    /// <summary>Length of the longest key that is a prefix of <paramref name="input"/>, or 0.</summary>
    public int LongestPrefix(ReadOnlySpan<byte> input)
    {
        int node = Root, longest = 0;
        for (int i = 0; i < input.Length && (node = Step(node, input[i])) >= 0; i++)
            if (values[node] >= 0) longest = i + 1;
        return longest;
    }

    static long Edge(int node, byte b) => ((long)node << 8) | b;
}
