using System.Runtime.CompilerServices;
using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cli.Tests;

/// <summary>
/// The CLI's --backend cuda runs on the CUDA emulator in this assembly (RASNATIVE_CUDA=emulator, as a user without a GPU
/// would set it), so every verb's CUDA path is exercised on any machine.
/// </summary>
static class CudaEmulatorMode
{
    [ModuleInitializer]
    internal static void Select() => Environment.SetEnvironmentVariable(CudaLibraryModes.Variable, "emulator");

    public static void Require()
    {
        var driver = Path.Combine(NativeLibraries.EmulatorDirectory, "librasnative-cuda-emulator.so");
        if (!File.Exists(driver)) Assert.Skip($"the CUDA emulator was not built ({driver} missing: g++ absent at build time)");
    }
}
