using System.CommandLine;
using RasNative.Cli.Commands;
using RasNative.Cli.Infrastructure;

namespace RasNative.Cli;

/// <summary>The command tree; <see cref="Run"/> is the whole program, callable in-process by tests.</summary>
public static class RasNativeCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("RasNative: diffusion transformers (SD3/SD3.5 MMDiT) with Region-Adaptive Sampling, in C# on CPU and CUDA.");
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(ForwardCommand.Create());
        root.Subcommands.Add(EncodeCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(DecodeCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(KernelsCommand.Create());
        return root;
    }

    public static int Run(string[] args) => CliRunner.Invoke(Build(), args);
}
