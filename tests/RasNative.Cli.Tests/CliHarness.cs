using RasNative.Cli;

namespace RasNative.Cli.Tests;

/// <summary>Runs the CLI in-process, capturing stdout/stderr (tests in this assembly run one at a time).</summary>
internal static class CliHarness
{
    static readonly Lock ConsoleLock = new();

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        lock (ConsoleLock)
        {
            var (outWriter, errWriter) = (new StringWriter(), new StringWriter());
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            Console.SetOut(outWriter);
            Console.SetError(errWriter);
            try
            {
                int code = RasNativeCli.Run(args);
                return (code, outWriter.ToString(), errWriter.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }
}
