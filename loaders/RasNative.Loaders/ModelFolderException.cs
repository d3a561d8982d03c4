namespace RasNative.Loaders;

/// <summary>A model folder or config file that cannot be used; the message is one line naming the path.</summary>
public sealed class ModelFolderException(string message) : Exception(message);
