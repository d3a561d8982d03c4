namespace RasNative.Cuda.Native;

/// <summary>
/// Which CUDA libraries the bindings load, from <c>RASNATIVE_CUDA</c>: unset or <c>auto</c> = the real ones (the
/// emulator when none is found, only where <see cref="NativeLibraries.EmulatorFallback"/> allows it: the test
/// assemblies), <c>gpu</c> = the real ones only, <c>emulator</c> = the CPU-hosted emulator only (docs/cuda.md).
/// </summary>
public enum CudaLibraryMode
{
    Auto,
    Gpu,
    Emulator,
}

/// <summary><c>RASNATIVE_CUDA</c> holds a value that is none of auto, gpu, emulator.</summary>
public sealed class CudaConfigurationException(string message) : ArgumentException(message);

public static class CudaLibraryModes
{
    public const string Variable = "RASNATIVE_CUDA";

    /// <summary>The requested mode; throws <see cref="CudaConfigurationException"/> for an unknown value.</summary>
    public static CudaLibraryMode FromEnvironment() => Parse(Environment.GetEnvironmentVariable(Variable));

    public static CudaLibraryMode Parse(string? value) => value switch
    {
        null or "" or "auto" => CudaLibraryMode.Auto,
        "gpu" => CudaLibraryMode.Gpu,
        "emulator" => CudaLibraryMode.Emulator,
        _ => throw new CudaConfigurationException($"{Variable}={value}: expected auto, gpu or emulator"),
    };
}
