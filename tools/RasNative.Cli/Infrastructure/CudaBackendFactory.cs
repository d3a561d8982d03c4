using RasNative.Runtime.Backends;

namespace RasNative.Cli.Infrastructure;

/// <summary>Creates the CUDA backend, or says in one line why this machine cannot.</summary>
public static class CudaBackendFactory
{
    public static IBackend Create(string dtype) =>
        throw new InvalidOperationException($"--backend cuda (dtype {dtype}): not available in this build");
}
