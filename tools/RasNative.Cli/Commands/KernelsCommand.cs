using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using RasNative.Cli.Infrastructure;
using RasNative.Cuda;
using RasNative.Cuda.Compilation;
using RasNative.Cuda.Native;
using Spectre.Console;

namespace RasNative.Cli.Commands;

/// <summary>`kernels [--arch sm_XX] [--json]`: compiles every CUDA kernel with NVRTC (no GPU needed) and reports resources.</summary>
public static partial class KernelsCommand
{
    public static Command Create()
    {
        var arch = new Option<string?>("--arch") { Description = "Target arch (sm_80, sm_89, sm_90, … or compute_XY); default: the GPU's, else sm_90" };
        var json = new Option<bool>("--json") { Description = "Print a JSON object instead of a table" };
        var command = new Command("kernels", "Compile every CUDA kernel with NVRTC and report registers, shared memory and spills");
        command.Options.Add(arch);
        command.Options.Add(json);
        command.SetAction(CliRunner.Guard(parsed => Run(parsed.GetValue(arch), parsed.GetValue(json))));
        return command;
    }

    static int Run(string? arch, bool json)
    {
        CudaLibraryModes.FromEnvironment(); // a bad RASNATIVE_CUDA is a usage error, before any work
        var target = arch ?? GpuAvailability.DeviceArch() ?? "sm_90";
        if (ArchRegex().Match(target) is not { Success: true } match || !KernelCompiler.SupportedArchs().Contains(int.Parse(match.Groups[1].Value)))
            throw new UsageException($"--arch {target}: NVRTC {KernelCompiler.NvrtcVersion()} targets sm_XY or compute_XY with XY one of " +
                string.Join(", ", KernelCompiler.SupportedArchs()));
        var report = KernelCompiler.CompileAll(target);
        if (json) Console.WriteLine(ToJson(report));
        else PrintTable(report);
        return report.Failed == 0 ? 0 : 1;
    }

    [GeneratedRegex(@"^(?:sm|compute)_(\d+)$")]
    private static partial Regex ArchRegex();

    static string Compiler => NativeLibraries.UsesEmulator ? "the CUDA emulator's NVRTC (" + EmulatorControl.NvrtcIdentity + ")" : "NVRTC";

    static string ToJson(KernelCompileReport report) => JsonSerializer.Serialize(new
    {
        arch = report.Arch,
        nvrtc = report.NvrtcVersion,
        compiler = Compiler,
        compiled = report.Compiled,
        failed = report.Failed,
        kernels = report.Kernels.Select(k => new
        {
            name = k.Name,
            file = k.File,
            dtype = k.DType,
            success = k.Success,
            registers = k.Registers,
            sharedBytes = k.SharedBytes,
            stackBytes = k.StackBytes,
            spillStoreBytes = k.SpillStoreBytes,
            spillLoadBytes = k.SpillLoadBytes,
            resourceNote = k.ResourceNote,
            log = k.Log,
        }),
    }, new JsonSerializerOptions { WriteIndented = true });

    static void PrintTable(KernelCompileReport report)
    {
        var table = new Table().AddColumns("kernel", "file", "dtype", "status", "regs", "smem B", "stack B", "spill st/ld B");
        foreach (var k in report.Kernels)
        {
            table.AddRow(Markup.Escape(k.Name), Markup.Escape(k.File), Markup.Escape(k.DType), k.Success ? "[green]ok[/]" : "[red]FAILED[/]",
                Show(k.Registers), Show(k.SharedBytes), Show(k.StackBytes),
                k.SpillStoreBytes is null ? "n/a" : $"{k.SpillStoreBytes}/{k.SpillLoadBytes}");
        }
        AnsiConsole.Write(table);
        foreach (var note in report.Kernels.Where(k => k.ResourceNote != null).GroupBy(k => k.ResourceNote))
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(string.Join(", ", note.Select(k => k.Name).Distinct()))}[/]: {Markup.Escape(note.Key!)}");
        foreach (var k in report.Kernels.Where(k => k.Log.Length > 0).DistinctBy(k => (k.File, k.DType)))
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(k.File)} ({Markup.Escape(k.DType)})[/]:\n{Markup.Escape(k.Log)}");
        AnsiConsole.MarkupLine($"{report.Arch}, NVRTC {report.NvrtcVersion}: [green]{report.Compiled} compiled[/], " +
            (report.Failed > 0 ? $"[red]{report.Failed} failed[/]" : "0 failed") + Markup.Escape($" by {Compiler}"));
    }

    static string Show(int? value) => value?.ToString() ?? "n/a";
}
