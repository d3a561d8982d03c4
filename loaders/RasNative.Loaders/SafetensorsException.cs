namespace RasNative.Loaders;

/// <summary>Invalid or unreadable checkpoint data; the message is one line naming the file and, where relevant, the tensor.</summary>
public sealed class SafetensorsException(string message) : Exception(message);
