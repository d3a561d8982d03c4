namespace RasNative.Runtime.Models;

/// <summary>Batch, image tokens (those present in the forward) and text tokens.</summary>
public readonly record struct TokenShape(int Batch, int ImageTokens, int TextTokens)
{
    public bool FitsIn(TokenShape capacity) =>
        Batch <= capacity.Batch && ImageTokens <= capacity.ImageTokens && TextTokens <= capacity.TextTokens;
}
