using System.Runtime.CompilerServices;
using RasNative.Cuda.Native;

namespace RasNative.Cuda.Tests;

/// <summary>
/// The CUDA tests run on the real libraries where a driver is installed and on the CUDA emulator elsewhere
/// (RASNATIVE_CUDA=gpu or =emulator forces one): set before any test touches CUDA.
/// </summary>
static class EmulatorFallback
{
    [ModuleInitializer]
    internal static void Allow() => NativeLibraries.EmulatorFallback = true;
}
