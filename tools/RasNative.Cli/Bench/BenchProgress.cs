namespace RasNative.Cli.Bench;

/// <summary>One progress line on stderr while bench runs (rewritten in place on a terminal).</summary>
public sealed class BenchProgress(bool quiet)
{
    readonly bool terminal = !Console.IsErrorRedirected;

    public void Say(string what)
    {
        if (quiet && !terminal) return;
        if (terminal) Console.Error.Write($"\r\u001b[2Kbench: {what}");
        else Console.Error.WriteLine($"bench: {what}");
    }

    public void Done()
    {
        if (terminal) Console.Error.Write("\r\u001b[2K");
    }
}
