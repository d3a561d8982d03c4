using System.Security.Cryptography;

namespace RasNative.Cuda.Compilation;

/// <summary>
/// Compiled kernel images on disk, one file per key (a hash of source, headers, arch, options and NVRTC
/// version). Each file is a magic, the SHA-256 of the payload and the payload; a file that fails the check
/// (truncated write, bit rot, another version's format) is recompiled and replaced, never loaded.
/// </summary>
public sealed class KernelCache(string directory)
{
    static readonly byte[] Magic = "RASKRN01"u8.ToArray();
    const int HeaderBytes = 8 + 32;

    /// <summary>
    /// $RASNATIVE_KERNEL_CACHE, else $XDG_CACHE_HOME/rasnative/kernels, else ~/.cache/rasnative/kernels, else (no
    /// home, e.g. HOME unset on a lent machine) rasnative-kernels-&lt;user&gt; in the temp directory — never a path
    /// relative to the working directory.
    /// </summary>
    public static string DefaultDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("RASNATIVE_KERNEL_CACHE") is { Length: > 0 } explicitDir) return explicitDir;
            if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg) return Path.Combine(xdg, "rasnative", "kernels");
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return home.Length > 0
                ? Path.Combine(home, ".cache", "rasnative", "kernels")
                : Path.Combine(Path.GetTempPath(), "rasnative-kernels-" + Environment.UserName);
        }
    }

    public string Directory { get; } = directory;

    public string PathFor(string key) => Path.Combine(Directory, key + ".bin");

    /// <summary>The cached payload for <paramref name="key"/>, or <paramref name="compile"/>'s result, which is then stored.</summary>
    public byte[] GetOrAdd(string key, Func<byte[]> compile)
    {
        var path = PathFor(key);
        if (TryRead(path) is { } cached) return cached;
        var payload = compile();
        Write(path, payload);
        return payload;
    }

    public static string Key(params IEnumerable<string> parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(part);
            sha.AppendData(BitConverter.GetBytes(bytes.Length)); // length-prefixed: no ambiguity between parts
            sha.AppendData(bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    static byte[]? TryRead(string path)
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (file.Length < HeaderBytes || !file.AsSpan(0, 8).SequenceEqual(Magic)) return null;
        var payload = file[HeaderBytes..];
        return SHA256.HashData(payload).AsSpan().SequenceEqual(file.AsSpan(8, 32)) ? payload : null;
    }

    /// <summary>Write-then-rename so concurrent processes never read a half-written entry. Failures only cost a recompile.</summary>
    void Write(string path, byte[] payload)
    {
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            using (var stream = File.Create(temp))
            {
                stream.Write(Magic);
                stream.Write(SHA256.HashData(payload));
                stream.Write(payload);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
        }
    }

    static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stray temp file is harmless; the cache is an optimisation.
        }
    }
}
