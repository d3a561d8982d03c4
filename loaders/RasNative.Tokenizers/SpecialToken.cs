namespace RasNative.Tokenizers;

/// <summary>
/// A token matched literally in the raw text and never split (transformers' "no split" special tokens).
/// transformers 4.32 strips the whitespace next to it in the neighbouring text: on both sides for a token given as a
/// plain string, on the sides its AddedToken lstrip/rstrip flags name otherwise.
/// </summary>
/// <param name="StripsLeft">Whitespace at the end of the text before it is removed (lstrip).</param>
/// <param name="StripsRight">Whitespace at the start of the text after it is removed (rstrip).</param>
public sealed record SpecialToken(string Content, int Id, bool StripsLeft, bool StripsRight);
