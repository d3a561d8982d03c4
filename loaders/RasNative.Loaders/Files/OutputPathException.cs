namespace RasNative.Loaders.Files;

/// <summary>An output path that must not be written: missing folder, not a regular file, or one of the inputs.</summary>
public sealed class OutputPathException(string message) : IOException(message);
