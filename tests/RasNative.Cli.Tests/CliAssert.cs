using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>The CLI's error contract, asserted the same way everywhere.</summary>
internal static class CliAssert
{
    /// <summary>Exit code <paramref name="code"/>, exactly one stderr line "error: …" mentioning <paramref name="mentions"/>, no stack trace, no .NET type names.</summary>
    public static string OneError((int ExitCode, string Stdout, string Stderr) result, string mentions, int code = 2)
    {
        var (exit, stdout, stderr) = result;
        Assert.True(exit == code, $"exit {exit}, expected {code}; stderr: {stderr}");
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), $"expected one error line, got: {stderr}");
        Assert.Contains(mentions, lines[0]);
        Assert.DoesNotContain("   at ", stderr + stdout);
        Assert.DoesNotContain("System.", lines[0]);
        Assert.DoesNotContain("`1", lines[0]);
        return lines[0];
    }

    /// <summary>Every entry of <paramref name="folder"/>, hidden ones included (the default enumeration can skip dot-files).</summary>
    public static string[] Entries(string folder) =>
        Directory.GetFileSystemEntries(folder, "*", new EnumerationOptions { AttributesToSkip = 0 });

    /// <summary>Nothing the command could have written is in <paramref name="folder"/>: no output, no hidden temp file.</summary>
    public static void NothingWritten(string folder, params string[] keep)
    {
        var left = Entries(folder).Select(Path.GetFileName).Where(name => !keep.Contains(name)).ToArray();
        Assert.True(left.Length == 0, $"left behind: {string.Join(", ", left)}");
    }
}
