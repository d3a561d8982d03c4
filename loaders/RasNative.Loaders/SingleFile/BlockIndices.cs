using System.Globalization;

namespace RasNative.Loaders.SingleFile;

/// <summary>Numbered blocks ("joint_blocks.3.", "up.1.") found among keys; they must run 0 … n−1 without a gap.</summary>
internal static class BlockIndices
{
    /// <summary>The index after <paramref name="blockPrefix"/> ("joint_blocks."), or null when <paramref name="key"/> is not such a block key.</summary>
    public static int? Parse(string key, string blockPrefix)
    {
        if (!key.StartsWith(blockPrefix, StringComparison.Ordinal)) return null;
        int end = key.IndexOf('.', blockPrefix.Length);
        return ParseIndex(end < 0 ? key[blockPrefix.Length..] : key[blockPrefix.Length..end]);
    }

    /// <summary>A block number as PyTorch writes module indices: decimal digits without leading zeros.</summary>
    public static int? ParseIndex(string digits) =>
        digits.Length > 0 && digits.All(char.IsAsciiDigit) && (digits == "0" || digits[0] != '0')
        && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index : null;

    /// <summary>How many blocks there are; a gap is an error naming the first missing block.</summary>
    /// <param name="shown">The block prefix as the file spells it, for the message.</param>
    public static int Count(IEnumerable<string> keys, string blockPrefix, string where, string shown)
    {
        var present = new SortedSet<int>();
        foreach (var key in keys)
            if (Parse(key, blockPrefix) is { } index) present.Add(index);
        if (present.Count == 0) return 0;
        for (int i = 0; i <= present.Max; i++)
            if (!present.Contains(i))
                throw new ModelFolderException($"{where}: block {shown}{i}.* is missing while {shown}{present.Max}.* exists");
        return present.Count;
    }
}
