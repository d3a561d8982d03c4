using System.Text.Json.Nodes;

namespace RasNative.Loaders.SingleFile.Inference;

/// <summary>A config value the tensor shapes determine, with the tensor that shows it.</summary>
/// <param name="Agrees">How a given config's value is compared when equality is too strict (default: JSON equality).</param>
internal sealed record Measured(string Key, JsonNode? Value, string Evidence, Func<JsonNode?, bool>? Agrees = null);
