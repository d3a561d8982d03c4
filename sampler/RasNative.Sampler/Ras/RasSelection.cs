namespace RasNative.Sampler.Ras;

/// <summary>The patches one RAS step computes and the ones it takes from the velocity cache.</summary>
/// <param name="Active">Patch ids the forward gathers, in ascending-score order as the official code keeps them.</param>
/// <param name="Skipped">Skipped patch ids: the lowest-scoring ones, then the highest-scoring ones.</param>
/// <param name="CachedPixels">Flat latent-pixel ids (h·W + w) of the skipped patches, <see cref="PatchGrid.PixelsOf(int, Span{int})"/> order.</param>
public sealed record RasSelection(int[] Active, int[] Skipped, int[] CachedPixels);
