using System.Text;
using System.Text.Json;

namespace RasNative.Benchmarks;

/// <summary>
/// Tokenizer folders with the real SD3 sizes, for load and encode timings (not correctness): a CLIP vocabulary of
/// 49408 entries with 48894 merges (256 + 256 byte symbols, merge results, BOS, EOS, as the real layout), and a
/// unigram spiece.model of 32000 pieces.
/// </summary>
static class SyntheticTokenizerFolders
{
    public static string Clip(string folder)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(1);
        var byteSymbols = ByteSymbols();
        var vocab = new Dictionary<string, int>();
        foreach (var s in byteSymbols) vocab[s] = vocab.Count;
        foreach (var s in byteSymbols) vocab[s + "</w>"] = vocab.Count;
        // Merges grow letter strings, word-final or not, so ordinary English prompts exercise many of them.
        var inner = Enumerable.Range('a', 26).Select(c => ((char)c).ToString()).ToList();
        var final = inner.Select(s => s + "</w>").ToList();
        var merges = new List<string>();
        while (merges.Count < 49152 - 256 - 2)
        {
            string first = inner[random.Next(inner.Count)];
            bool toFinal = random.Next(2) == 0;
            string second = toFinal ? final[random.Next(Math.Min(final.Count, 26 + merges.Count / 8))] : inner[random.Next(Math.Min(inner.Count, 26 + merges.Count / 8))];
            string merged = first + second;
            if (merged.Length > 24 || !vocab.TryAdd(merged, vocab.Count)) continue;
            merges.Add(first + " " + second);
            (toFinal ? final : inner).Add(merged);
        }
        vocab["<|startoftext|>"] = vocab.Count;
        vocab["<|endoftext|>"] = vocab.Count;
        File.WriteAllText(Path.Combine(folder, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(Path.Combine(folder, "merges.txt"), "#version: 0.2\n" + string.Join("\n", merges) + "\n");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"model_max_length": 77, "pad_token": "!"}""");
        return folder;
    }

    public static string T5(string folder)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(2);
        var model = new MemoryStream();
        void Piece(string text, float score, int type)
        {
            var piece = new MemoryStream();
            WriteBytes(piece, 1, Encoding.UTF8.GetBytes(text));
            piece.WriteByte(2 << 3 | 5);
            piece.Write(BitConverter.GetBytes(score));
            piece.WriteByte(3 << 3);
            piece.WriteByte((byte)type);
            WriteBytes(model, 1, piece.ToArray());
        }
        Piece("<pad>", 0, 3);
        Piece("</s>", 0, 3);
        Piece("<unk>", 0, 2);
        var seen = new HashSet<string>();
        for (int c = 32; c < 127; c++) seen.Add(((char)c).ToString());
        seen.Add("\u2581");
        foreach (var s in seen) Piece(s, -10 - random.NextSingle(), 1);
        while (seen.Count < 32000 - 3)
        {
            int length = random.Next(2, 10);
            var text = (random.Next(2) == 0 ? "\u2581" : "") + new string(Enumerable.Range(0, length).Select(_ => (char)('a' + random.Next(26))).ToArray());
            if (seen.Add(text)) Piece(text, -random.NextSingle() * 10, 1);
        }
        File.WriteAllBytes(Path.Combine(folder, "spiece.model"), model.ToArray());
        return folder;
    }

    static void WriteBytes(Stream stream, int field, byte[] bytes)
    {
        stream.WriteByte((byte)(field << 3 | 2));
        for (uint length = (uint)bytes.Length; ; length >>= 7)
        {
            if (length < 0x80) { stream.WriteByte((byte)length); break; }
            stream.WriteByte((byte)(length & 0x7F | 0x80));
        }
        stream.Write(bytes);
    }

    /// <summary>GPT-2's byte symbols in byte order.</summary>
    static string[] ByteSymbols()
    {
        int next = 256;
        return Enumerable.Range(0, 256).Select(b =>
            ((char)(b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF ? b : next++)).ToString()).ToArray();
    }
}
