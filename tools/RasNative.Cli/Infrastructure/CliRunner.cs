using System.CommandLine;
using RasNative.Loaders;
using RasNative.Runtime.Models;

namespace RasNative.Cli.Infrastructure;

/// <summary>
/// Runs the parsed command with the CLI's error contract: one line on stderr starting "error:", exit code 2
/// for bad input or usage, 1 for other failures, never a stack trace.
/// </summary>
public static class CliRunner
{
    public const int BadInput = 2;
    public const int Failure = 1;

    public static int Invoke(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine("error: " + error.Message);
            return BadInput;
        }
        return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>Wraps a command body so every failure maps to the contract above.</summary>
    public static Func<ParseResult, int> Guard(Func<ParseResult, int> body) => parsed =>
    {
        try
        {
            return body(parsed);
        }
        catch (Exception e) when (IsBadInput(e))
        {
            Console.Error.WriteLine("error: " + OneLine(e.Message));
            return BadInput;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("error: " + OneLine(e.Message));
            return Failure;
        }
    };

    static bool IsBadInput(Exception e) => e is UsageException or SafetensorsException or ModelFolderException
        or ModelLoadException or ModelInputException or FileNotFoundException or DirectoryNotFoundException;

    static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
