using System.Reflection;

namespace RasNative.Cli.Infrastructure;

/// <summary>"RasNative 1.2.3" from the CLI assembly's informational version (the commit suffix dropped).</summary>
public static class ProgramVersion
{
    public static string Text { get; } = "RasNative " +
        (typeof(ProgramVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "dev");
}
