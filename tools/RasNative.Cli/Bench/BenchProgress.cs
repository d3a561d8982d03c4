namespace RasNative.Cli.Bench;

/// <summary>One progress line on stderr while bench runs, rewritten in place; nothing when stderr is redirected.</summary>
public sealed class BenchProgress
{
    readonly bool terminal = !Console.IsErrorRedirected;

    public void Say(string what)
    {
        if (terminal) Console.Error.Write($"\r\u001b[2Kbench: {what}");
    }

    public void Done()
    {
        if (terminal) Console.Error.Write("\r\u001b[2K");
    }
}
