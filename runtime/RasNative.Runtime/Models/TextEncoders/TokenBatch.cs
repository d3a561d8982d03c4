namespace RasNative.Runtime.Models.TextEncoders;

/// <summary>Token ids [batch, tokens] row-major, as a text encoder receives them, and the checks every encoder makes on them.</summary>
public readonly record struct TokenBatch(int[] Ids, int Batch)
{
    public int Tokens => Batch == 0 ? 0 : Ids.Length / Batch;

    /// <summary>One prompt's ids per row; every row must have the same length (the tokenizer pads to it).</summary>
    public static TokenBatch FromRows(IReadOnlyList<int[]> rows)
    {
        if (rows.Count == 0) throw new ModelInputException("no token ids to encode");
        int tokens = rows[0].Length;
        if (rows.Any(r => r.Length != tokens)) throw new ModelInputException("token id rows differ in length; pad them to one length");
        return new TokenBatch([.. rows.SelectMany(r => r)], rows.Count);
    }

    /// <summary>Refuses a shape or id the model cannot take, naming the model (e.g. "text_encoder") and the limit.</summary>
    public void Validate(string model, int vocabulary, int maxTokens)
    {
        if (Batch < 1 || Ids.Length % Batch != 0 || Tokens < 1)
            throw new ModelInputException($"{model}: {Ids.Length} token ids do not split into {Batch} rows");
        if (Tokens > maxTokens)
            throw new ModelInputException($"{model}: {Tokens} tokens exceed its {maxTokens} positions");
        for (int i = 0; i < Ids.Length; i++)
            if ((uint)Ids[i] >= (uint)vocabulary)
                throw new ModelInputException($"{model}: token id {Ids[i]} (row {i / Tokens}, position {i % Tokens}) is outside its vocabulary of {vocabulary}");
    }

    /// <summary>An optional attention mask [batch, tokens] of 0/1 (transformers' attention_mask), as floats for the attention's key mask.</summary>
    public float[]? MaskValues(ReadOnlySpan<int> attentionMask, string model)
    {
        if (attentionMask.IsEmpty) return null;
        if (attentionMask.Length != Ids.Length)
            throw new ModelInputException($"{model}: attention mask of {attentionMask.Length} values for {Batch} × {Tokens} tokens");
        var values = new float[attentionMask.Length];
        for (int i = 0; i < values.Length; i++)
            values[i] = attentionMask[i] switch
            {
                0 => 0f,
                1 => 1f,
                var other => throw new ModelInputException($"{model}: attention mask value {other} at {i} (expected 0 or 1)"),
            };
        return values;
    }
}
