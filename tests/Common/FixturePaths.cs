namespace RasNative.Tests;

/// <summary>Locates ../shared/fixtures (read-only golden data) from the test binary's folder.</summary>
public static class FixturePaths
{
    public static string Root { get; } = Find();

    public static string Get(params string[] parts) => Path.Combine([Root, .. parts]);

    static string Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable("RASNATIVE_FIXTURES");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate)) return candidate;
            candidate = Path.Combine(dir.FullName, "..", "shared", "fixtures");
            if (Directory.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "RasNative.sln")))
                return Path.GetFullPath(candidate);
        }
        throw new DirectoryNotFoundException("shared/fixtures not found above " + AppContext.BaseDirectory + " (set RASNATIVE_FIXTURES)");
    }
}
