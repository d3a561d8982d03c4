using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>Tests of what only the CUDA emulator models (guard bytes, deadlock detection, deferred execution, schedules).</summary>
static class EmulatorRequirement
{
    public static void Ensure()
    {
        if (!NativeLibraries.UsesEmulator) Assert.Skip("checks the CUDA emulator's own behaviour; this run uses the real CUDA libraries");
    }
}
