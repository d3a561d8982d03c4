using System.Text.Json;

namespace RasNative.Loaders;

/// <summary>Reads a small JSON file whose root must be an object, reporting failures as one-line errors naming the file.</summary>
public static class JsonFile
{
    /// <param name="error">Builds the exception type the caller reports with, from a complete message.</param>
    public static JsonElement ReadObject(string path, Func<string, Exception> error)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw error($"{path}: cannot read file ({MessageText.OneLine(e.Message)})");
        }
        try
        {
            var root = StrictJson.Parse(bytes);
            if (root.ValueKind != JsonValueKind.Object)
                throw error($"{path}: JSON root must be an object, got {root.ValueKind}");
            return root;
        }
        catch (JsonException e)
        {
            throw error($"{path}: invalid JSON ({MessageText.OneLine(e.Message)})");
        }
    }
}
