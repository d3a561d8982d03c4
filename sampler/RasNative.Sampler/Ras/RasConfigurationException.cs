namespace RasNative.Sampler.Ras;

/// <summary>RAS settings that cannot run (one line naming the flags involved).</summary>
public sealed class RasConfigurationException(string message) : Exception(message);
