using System.Text;

namespace RasNative.Tokenizers.SentencePiece;

/// <summary>
/// SentencePiece's unigram segmentation (unigram_model.cc, EncodeOptimized in 0.1.97): Viterbi over the normalised
/// UTF-8 bytes, every normal / user-defined / unused piece a candidate (unused ones skipped), user-defined pieces
/// scored length·max_score − 0.1, an unknown node of score min_score − 10 for a character no one-character piece
/// covers; ties keep the first candidate found. Then, as SentencePieceProcessor does, adjacent unknown pieces
/// are merged into one.
/// </summary>
sealed class UnigramModel
{
    const float UnknownPenalty = 10f;

    /// <summary>C's FLT_MIN, the initial value of SentencePiece's max_score_ (smallest positive normal float).</summary>
    const float FloatMin = 1.17549435e-38f;

    readonly SentencePieceModel.Piece[] pieces;
    readonly ByteTrie trie = new();
    readonly int unknownId;
    readonly float minScore = float.MaxValue, maxScore = FloatMin;

    public UnigramModel(SentencePieceModel model, int unknownId)
    {
        pieces = [.. model.Pieces];
        this.unknownId = unknownId;
        for (int id = 0; id < pieces.Length; id++)
        {
            var piece = pieces[id];
            if (piece.Type is SentencePieceModel.PieceType.Normal or SentencePieceModel.PieceType.UserDefined or SentencePieceModel.PieceType.Unused)
                trie.Add(Encoding.UTF8.GetBytes(piece.Text), id);
            if (piece.Type == SentencePieceModel.PieceType.Normal)
            {
                minScore = Math.Min(minScore, piece.Score);
                maxScore = Math.Max(maxScore, piece.Score);
            }
        }
    }

    /// <summary>The pieces of normalised text: (piece text, id); merged unknown runs carry the unknown id.</summary>
    public List<(string Piece, int Id)> Encode(ReadOnlySpan<byte> normalized)
    {
        var result = new List<(string, int)>();
        if (normalized.IsEmpty) return result;
        int size = normalized.Length;
        float unknownScore = minScore - UnknownPenalty;
        var bestId = new int[size + 1];
        var bestScore = new float[size + 1];
        var bestStart = new int[size + 1];
        bestStart.AsSpan().Fill(-1);
        for (int start = 0; start < size; start++)
        {
            // Only character boundaries are reached by a path; SentencePiece's loop steps one character at a time.
            if (start > 0 && bestStart[start] < 0) continue;
            float scoreHere = bestScore[start];
            int charLength = Math.Min(Utf8CharLength(normalized[start]), size - start);
            bool hasSingleCharacterPiece = false;
            int node = ByteTrie.Root;
            for (int end = start; end < size && (node = trie.Step(node, normalized[end])) >= 0; end++)
            {
                int id = trie.ValueAt(node);
                if (id < 0 || pieces[id].Type == SentencePieceModel.PieceType.Unused) continue;
                int length = end + 1 - start;
                float score = pieces[id].Type == SentencePieceModel.PieceType.UserDefined ? length * maxScore - 0.1f : pieces[id].Score;
                Relax(end + 1, id, score + scoreHere, start);
                if (length == charLength) hasSingleCharacterPiece = true;
            }
            if (!hasSingleCharacterPiece) Relax(start + charLength, unknownId, unknownScore + scoreHere, start);
        }

        void Relax(int end, int id, float score, int start)
        {
            if (bestStart[end] >= 0 && score <= bestScore[end]) return;
            bestScore[end] = score;
            bestStart[end] = start;
            bestId[end] = id;
        }

        var path = new List<(int Start, int End, int Id)>();
        for (int end = size; end > 0; end = bestStart[end]) path.Add((bestStart[end], end, bestId[end]));
        path.Reverse();
        foreach (var (start, end, id) in path)
        {
            string text = Encoding.UTF8.GetString(normalized[start..end]);
            if (id == unknownId && result.Count > 0 && result[^1].Item2 == unknownId) result[^1] = (result[^1].Item1 + text, unknownId);
            else result.Add((text, id));
        }
        return result;
    }

    /// <summary>SentencePiece's OneCharLen: the sequence length its lead byte announces.</summary>
    static int Utf8CharLength(byte lead) => lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}
