using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using RasNative.Cuda.Native;
using RasNative.Loaders;
using RasNative.Loaders.Files;
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
            Console.Error.WriteLine("error: " + OneLine(string.Join("; ", parsed.Errors.Select(WithOptionName).Distinct())));
            return BadInput;
        }
        // An interrupted run leaves no temp files (outputs can be gigabytes) and exits with the shell's 128 + signal
        // number, never with .NET's graceful-shutdown 0 that would read as success.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => Interrupted(2));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Interrupted(15));
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => Interrupted(1));
        return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    static void Interrupted(int signal)
    {
        TemporaryFiles.DeleteAll();
        Environment.Exit(128 + signal);
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

    /// <summary>Prefixes a parse error with the option it concerns when the parser's message does not name it.</summary>
    static string WithOptionName(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            System.CommandLine.Parsing.OptionResult o => o.Option,
            System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.OptionResult o } => o.Option,
            _ => null,
        };
        return option == null || error.Message.Contains(option.Name) ? error.Message : $"{option.Name}: {error.Message}";
    }

    static bool IsBadInput(Exception e) => e is UsageException or CudaConfigurationException or SafetensorsException or ModelFolderException
        or ModelLoadException or ModelInputException or OutputPathException or FileNotFoundException or DirectoryNotFoundException;

    static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
