namespace RasNative.Runtime.Models;

/// <summary>A checkpoint that does not fit the model: one line naming the tensor or setting.</summary>
public sealed class ModelLoadException(string message) : Exception(message);
