using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using RasNative.Loaders;

namespace RasNative.Tokenizers.Clip;

/// <summary>
/// CLIP's vocabulary and byte-level BPE: each pre-token's UTF-8 bytes become byte symbols, "&lt;/w&gt;" marks the last
/// one, and merges apply by rank. The merging is Microsoft.ML.Tokenizers' BpeTokenizer (it reproduces transformers'
/// slow CLIPTokenizer.bpe for every word of the fixtures); token strings map to ids through vocab.json as
/// transformers does, unknown ones to the unk id.
/// </summary>
sealed class ClipBpe
{
    public const string EndOfWord = "</w>";

    /// <summary>transformers reads merges.txt lines 1 … 49152 − 256 − 2 (line 0 is the "#version" header).</summary>
    const int MaxMerges = 49152 - 256 - 2;

    /// <summary>Pre-tokens the slow tokenizer's BPE cache returns unchanged (no "&lt;/w&gt;").</summary>
    static readonly string[] Unmerged = ["<|startoftext|>", "<|endoftext|>"];

    readonly BpeTokenizer merger;
    readonly Dictionary<string, int> vocab;
    readonly string[] tokenOfId;
    readonly int unkId;

    ClipBpe(Dictionary<string, int> vocab, BpeTokenizer merger, int unkId)
    {
        this.vocab = vocab;
        this.merger = merger;
        this.unkId = unkId;
        tokenOfId = new string[vocab.Values.Max() + 1];
        foreach (var (token, id) in vocab) tokenOfId[id] = token;
    }

    public int VocabSize => tokenOfId.Length;

    public bool TryGetId(string token, out int id) => vocab.TryGetValue(token, out id);

    /// <param name="unkToken">Resolved here because the vocab is needed to check it.</param>
    public static ClipBpe Load(string vocabPath, string mergesPath, string unkToken)
    {
        var vocab = ReadVocab(vocabPath);
        if (!vocab.TryGetValue(unkToken, out int unkId))
            throw new ModelFolderException($"{vocabPath}: unknown token '{unkToken}' is not in the vocabulary");
        var merges = ReadMerges(mergesPath, vocab);
        var options = new BpeOptions(vocab) { Merges = merges, EndOfWordSuffix = EndOfWord, UnknownToken = unkToken };
        return new ClipBpe(vocab, BpeTokenizer.Create(options), unkId);
    }

    /// <summary>Appends the BPE tokens of one pre-token and their ids.</summary>
    public void Encode(string preToken, List<string> tokens, List<int> ids)
    {
        var symbols = ToByteSymbols(preToken);
        if (Array.IndexOf(Unmerged, symbols) >= 0)
        {
            Add(symbols, tokens, ids);
            return;
        }
        foreach (var token in merger.EncodeToTokens(symbols, out _, considerPreTokenization: false, considerNormalization: false))
            Add(token.Value, tokens, ids);
    }

    /// <summary>The text of some ids, for messages: byte symbols decoded, word ends as spaces, then transformers'
    /// clean_up_tokenization (no space before . ? ! , and English contractions).</summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var symbols = new StringBuilder();
        foreach (int id in ids)
            if ((uint)id < (uint)tokenOfId.Length && tokenOfId[id] != null) symbols.Append(tokenOfId[id]);
        var text = symbols.Replace(EndOfWord, " ").ToString();
        var bytes = new List<byte>(text.Length);
        foreach (char c in text)
        {
            if (ByteSymbols.TryGetByte(c, out byte b)) bytes.Add(b);
            else bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
        }
        return CleanUpTokenization(Encoding.UTF8.GetString(bytes.ToArray()).Trim());
    }

    static string CleanUpTokenization(string text) => text.Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!")
        .Replace(" ,", ",").Replace(" ' ", "'").Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s")
        .Replace(" 've", "'ve").Replace(" 're", "'re");

    void Add(string token, List<string> tokens, List<int> ids)
    {
        tokens.Add(token);
        ids.Add(vocab.TryGetValue(token, out int id) ? id : unkId);
    }

    static string ToByteSymbols(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var symbols = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) symbols[i] = ByteSymbols.Of(bytes[i]);
        return new string(symbols);
    }

    static Dictionary<string, int> ReadVocab(string path)
    {
        var root = JsonFile.ReadObject(path, message => new ModelFolderException(message));
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in root.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
                throw new ModelFolderException($"{path}: id of token '{entry.Name}' must be a non-negative integer");
            vocab[entry.Name] = id;
        }
        // Every byte symbol, alone and word-final, must have an id: BPE starts from them.
        for (int b = 0; b < 256; b++)
        {
            string symbol = ByteSymbols.Of((byte)b).ToString();
            foreach (var token in new[] { symbol, symbol + EndOfWord })
                if (!vocab.ContainsKey(token))
                    throw new ModelFolderException($"{path}: byte symbol '{token}' (byte 0x{b:X2}) is not in the vocabulary");
        }
        return vocab;
    }

    /// <summary>Merge lines in rank order, as transformers reads them: the file stripped, split on "\n", the first line
    /// skipped, at most <see cref="MaxMerges"/> lines, each two symbols separated by whitespace.</summary>
    static List<string> ReadMerges(string path, Dictionary<string, int> vocab)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllText(path, Encoding.UTF8).Trim().Split('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFolderException($"{path}: cannot read file ({e.Message.ReplaceLineEndings(" ")})");
        }
        var merges = new List<string>(Math.Min(lines.Length, MaxMerges));
        for (int i = 1; i < lines.Length && i <= MaxMerges; i++)
        {
            var parts = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
                throw new ModelFolderException($"{path}: line {i + 1} must hold two symbols separated by a space");
            if (!vocab.ContainsKey(parts[0] + parts[1]))
                throw new ModelFolderException($"{path}: line {i + 1}: merged token '{parts[0] + parts[1]}' is not in the vocabulary");
            merges.Add(parts[0] + " " + parts[1]);
        }
        return merges;
    }
}
