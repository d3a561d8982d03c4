namespace RasNative.Tokenizers;

/// <summary>
/// One prompt as a text encoder receives it, as transformers returns it for
/// tokenizer(text, padding="max_length", max_length=L, truncation=True).
/// </summary>
/// <param name="Ids">Exactly L ids: special tokens added, content truncated, padded.</param>
/// <param name="UntruncatedIds">The same special tokens around the whole content, no padding
/// (tokenizer(text, padding="longest") for one prompt).</param>
/// <param name="Truncated">diffusers' warning rule: the untruncated ids are at least L long and differ from
/// <paramref name="Ids"/>. diffusers then logs the text of UntruncatedIds[L−1 .. ^1] (see the tokenizers' Decode).</param>
/// <param name="Tokens">tokenizer.tokenize(text): the token strings of the whole content before truncation (BPE
/// tokens with "&lt;/w&gt;" for CLIP, SentencePiece pieces for T5; special tokens written in the text included).</param>
public sealed record TokenizedText(int[] Ids, int[] UntruncatedIds, bool Truncated, string[] Tokens);
