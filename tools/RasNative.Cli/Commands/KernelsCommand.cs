using System.CommandLine;
using System.Text.Json;
using RasNative.Cuda;
using RasNative.Cuda.Compilation;
using RasNative.Cli.Infrastructure;
using Spectre.Console;

namespace RasNative.Cli.Commands;

/// <summary>`kernels [--arch sm_XX] [--json]`: compiles every CUDA kernel with NVRTC (no GPU needed) and reports resources.</summary>
public static class KernelsCommand
{
    public static Command Create()
    {
        var arch = new Option<string?>("--arch") { Description = "Target arch (sm_80, sm_89, sm_90, …); default: the GPU's, else sm_90" };
        var json = new Option<bool>("--json") { Description = "Print a JSON object instead of a table" };
        var command = new Command("kernels", "Compile every CUDA kernel with NVRTC and report registers, shared memory and spills");
        command.Options.Add(arch);
        command.Options.Add(json);
        command.SetAction(CliRunner.Guard(parsed => Run(parsed.GetValue(arch), parsed.GetValue(json))));
        return command;
    }

    static int Run(string? arch, bool json)
    {
        var target = arch ?? GpuAvailability.DeviceArch() ?? "sm_90";
        RequireSupported(target);
        var report = KernelCompiler.CompileAll(target);
        if (json) Console.WriteLine(ToJson(report));
        else PrintTable(report);
        return report.Failed == 0 ? 0 : 1;
    }

    /// <summary>--arch names a target this NVRTC can build (sm_XY for a CUBIN, compute_XY for PTX).</summary>
    static void RequireSupported(string target)
    {
        var match = System.Text.RegularExpressions.Regex.Match(target, "^(sm|compute)_([0-9]{2,3})a?$");
        if (!match.Success) throw new UsageException($"--arch '{target}': expected sm_XY or compute_XY, e.g. sm_90");
        var supported = KernelCompiler.SupportedArchs();
        if (!supported.Contains(int.Parse(match.Groups[2].Value)))
            throw new UsageException($"--arch {target}: NVRTC {KernelCompiler.NvrtcVersion()} supports {string.Join(", ", supported.Select(a => "sm_" + a))}");
    }

    static string ToJson(KernelCompileReport report) => JsonSerializer.Serialize(new
    {
        arch = report.Arch,
        nvrtc = report.NvrtcVersion,
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
                k.SpillStoreBytes is null ? "-" : $"{k.SpillStoreBytes}/{k.SpillLoadBytes}");
        }
        AnsiConsole.Write(table);
        foreach (var k in report.Kernels.Where(k => k.Log.Length > 0).DistinctBy(k => (k.File, k.DType)))
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(k.File)} ({Markup.Escape(k.DType)})[/]:\n{Markup.Escape(k.Log)}");
        AnsiConsole.MarkupLine($"{report.Arch}, NVRTC {report.NvrtcVersion}: [green]{report.Compiled} compiled[/], " +
            (report.Failed > 0 ? $"[red]{report.Failed} failed[/]" : "0 failed"));
    }

    static string Show(int? value) => value?.ToString() ?? "-";
}
