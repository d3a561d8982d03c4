namespace RasNative.Runtime.Models;

/// <summary>Batch, image tokens (those present in the forward) and text tokens.</summary>
public readonly record struct TokenShape(int Batch, int ImageTokens, int TextTokens)
{
    public bool FitsIn(TokenShape capacity) =>
        Batch <= capacity.Batch && ImageTokens <= capacity.ImageTokens && TextTokens <= capacity.TextTokens;

    /// <summary>The smallest shape both fit in (an arena grown for a new call keeps room for the old ones).</summary>
    public TokenShape Union(TokenShape other) => new(
        Math.Max(Batch, other.Batch), Math.Max(ImageTokens, other.ImageTokens), Math.Max(TextTokens, other.TextTokens));
}
