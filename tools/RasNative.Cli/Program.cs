using System.CommandLine;
using RasNative.Cli.Commands;
using RasNative.Cli.Infrastructure;

var root = new RootCommand("RasNative: diffusion transformers (SD3/SD3.5 MMDiT) with Region-Adaptive Sampling, in C# on CPU and CUDA.");
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(ForwardCommand.Create());
root.Subcommands.Add(KernelsCommand.Create());
return CliRunner.Invoke(root, args);
