using System.Diagnostics;
using RasNative.Tests;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>An interrupted run (SIGINT, SIGTERM) leaves no temp files (outputs and a streamed trace can reach gigabytes) and exits 128 + signal.</summary>
public class SignalTests
{
    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task AnInterruptedGenerateLeavesNoTempFiles(string signal, int exitCode)
    {
        using var temp = new TempFolder();
        var cli = Path.Combine(AppContext.BaseDirectory, "rasnative.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[]
        {
            cli, "generate", "--model", FixturePaths.Get("ras", "model"), "--embeddings", FixturePaths.Get("ras", "embeddings.safetensors"),
            "--seed", "1", "--width", "512", "--height", "512", "--guidance", "5", "--steps", "2000",
            "--output", temp.File("out.safetensors"), "--trace", temp.File("trace.safetensors"),
        }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();
        // The trace streams its data into a hidden scratch file from the first step on: interrupt once it exists.
        while (CliAssert.Entries(temp.Path).Length == 0 && !process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(20);
        Assert.False(process.HasExited, "generate ended before it could be interrupted");
        Assert.NotEmpty(CliAssert.Entries(temp.Path));
        Process.Start("kill", [$"-{signal}", process.Id.ToString()])!.WaitForExit();
        Assert.True(process.WaitForExit(30_000), "generate did not stop on the signal");
        var message = await stderr;
        Assert.True(process.ExitCode == exitCode, $"exit {process.ExitCode}, expected {exitCode}: {message}");
        CliAssert.NothingWritten(temp.Path);
    }
}
