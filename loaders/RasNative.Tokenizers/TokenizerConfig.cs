using System.Text.Json;
using RasNative.Loaders;

namespace RasNative.Tokenizers;

/// <summary>
/// The special-token settings of a tokenizer folder as transformers' from_pretrained assembles them:
/// tokenizer_config.json, overridden key by key by special_tokens_map.json; both optional. A token is a plain
/// string or an AddedToken object ({"content": ..., "lstrip": ..., "rstrip": ...}); both forms occur in published
/// checkpoints.
/// </summary>
sealed class TokenizerConfig
{
    public const string ConfigFileName = "tokenizer_config.json";
    public const string SpecialTokensMapFileName = "special_tokens_map.json";

    /// <summary>A special token as written in the files, before its id is known.</summary>
    /// <param name="Source">The file that set it; null for a tokenizer class default.</param>
    public sealed record TokenSpec(string Content, bool IsAddedTokenObject, bool LStrip, bool RStrip, string? Source = null)
    {
        public static TokenSpec Default(string content) => new(content, false, false, false);

        /// <summary>Where an error about this token should point: its file, else the vocabulary it was looked up in.</summary>
        public string Origin(string vocabularyPath) => Source ?? vocabularyPath;

        /// <summary>transformers 4.32: plain strings strip both neighbours, AddedTokens only as flagged.</summary>
        public SpecialToken WithId(int id) =>
            IsAddedTokenObject ? new SpecialToken(Content, id, LStrip, RStrip) : new SpecialToken(Content, id, true, true);
    }

    readonly Dictionary<string, (JsonElement Value, string Path)> values = new();

    TokenizerConfig() { }

    public static TokenizerConfig Read(string folder)
    {
        var config = new TokenizerConfig();
        config.Merge(Path.Combine(folder, ConfigFileName));
        config.Merge(Path.Combine(folder, SpecialTokensMapFileName));
        return config;
    }

    /// <summary>bos_token, eos_token, unk_token, pad_token ...; null where neither file names it.</summary>
    public TokenSpec? Token(string key) =>
        values.TryGetValue(key, out var entry) && entry.Value.ValueKind != JsonValueKind.Null ? ParseToken(entry.Value, key, entry.Path) : null;

    public IReadOnlyList<TokenSpec>? AdditionalSpecialTokens
    {
        get
        {
            const string key = "additional_special_tokens";
            if (!values.TryGetValue(key, out var entry) || entry.Value.ValueKind == JsonValueKind.Null) return null;
            if (entry.Value.ValueKind != JsonValueKind.Array)
                throw new ModelFolderException($"{entry.Path}: '{key}' must be a list of tokens");
            return entry.Value.EnumerateArray().Select(t => ParseToken(t, key, entry.Path)).ToArray();
        }
    }

    /// <summary>An integer setting (model_max_length, extra_ids); null when absent or beyond int range (transformers
    /// writes 1e30 for "no limit").</summary>
    public int? Integer(string key)
    {
        if (!values.TryGetValue(key, out var entry) || entry.Value.ValueKind == JsonValueKind.Null) return null;
        if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetDouble(out double value) || value != Math.Floor(value) || value < 0)
            throw new ModelFolderException($"{entry.Path}: '{key}' must be a non-negative integer");
        return value <= int.MaxValue ? (int)value : null;
    }

    void Merge(string path)
    {
        if (!File.Exists(path)) return;
        var root = JsonFile.ReadObject(path, message => new ModelFolderException(message));
        foreach (var property in root.EnumerateObject()) values[property.Name] = (property.Value, path);
    }

    static TokenSpec ParseToken(JsonElement value, string key, string path)
    {
        if (value.ValueKind == JsonValueKind.String) return new TokenSpec(value.GetString()!, false, false, false, path);
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            return new TokenSpec(content.GetString()!, true, Flag(value, "lstrip", key, path), Flag(value, "rstrip", key, path), path);
        throw new ModelFolderException($"{path}: '{key}' must be a token string or an AddedToken object with a string 'content'");
    }

    static bool Flag(JsonElement token, string name, string key, string path)
    {
        if (!token.TryGetProperty(name, out var flag)) return false;
        return flag.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ModelFolderException($"{path}: '{key}.{name}' must be true or false"),
        };
    }
}
