namespace RasNative.Loaders;

/// <summary>A model folder, single file layout, component or config that cannot be used; the message is one line naming the path and, where relevant, the tensor or config key.</summary>
public sealed class ModelFolderException(string message) : Exception(message);
