namespace RasNative.Cli.Infrastructure;

/// <summary>A bad flag or flag combination (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);
