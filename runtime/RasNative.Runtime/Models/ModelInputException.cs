namespace RasNative.Runtime.Models;

/// <summary>Inputs that do not fit the model (shape, size): one line naming the input.</summary>
public sealed class ModelInputException(string message) : Exception(message);
