namespace RasNative.Sampler.Generation;

/// <summary>The model produced NaN or ∞ at a step; the message names the step.</summary>
public sealed class NonFiniteOutputException(string message) : Exception(message);
