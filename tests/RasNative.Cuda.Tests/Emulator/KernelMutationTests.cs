using System.Collections.Concurrent;
using RasNative.Cuda.Compilation;
using RasNative.Cuda.Tests.Parity;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>
/// Proof that the emulator runs the project's kernels, not something else that happens to agree with the CPU:
/// every kernel, disabled in turn in a copy of the sources, fails every parity case that launches it.
/// </summary>
public class KernelMutationTests
{
    const CudaDType DType = CudaDType.F32;

    [Fact]
    public void DisablingAnyKernelFailsTheParityCasesThatLaunchIt()
    {
        EmulatorRequirement.Ensure();
        var embedded = KernelSourceSet.Embedded;
        var users = new Dictionary<string, List<OpCase>>();
        var expected = OpCases.All.ToDictionary(c => c.Name, c => OpParity.Expected(c, DType));
        using (var backend = GpuRequirement.CreateBackend(DType, embedded))
            foreach (var opCase in OpCases.All)
            {
                backend.Calls.Counters.Reset();
                Assert.True(OpParity.Error(expected[opCase.Name], OpParity.Run(backend, opCase, DType)) <= OpParity.Tolerance(DType), opCase.Name);
                foreach (var kernel in backend.Calls.Counters.Snapshot().KernelLaunches.Keys)
                    (users.TryGetValue(kernel, out var list) ? list : users[kernel] = []).Add(opCase);
            }
        var kernels = embedded.Sources.SelectMany(s => s.Kernels).ToArray();
        Assert.All(kernels, k => Assert.True(users.ContainsKey(k), $"no parity case launches {k}"));

        var survivors = new ConcurrentBag<string>();
        Parallel.ForEach(kernels, kernel =>
        {
            using var copy = new SourceCopy(embedded, embedded.SourceOf(kernel).FileName, text => SourceCopy.DisableKernel(text, kernel));
            using var backend = GpuRequirement.CreateIsolatedBackend(DType, copy.Sources);
            foreach (var opCase in users[kernel])
                if (OpParity.Error(expected[opCase.Name], OpParity.Run(backend, opCase, DType)) <= OpParity.Tolerance(DType))
                    survivors.Add($"{opCase.Name} passes without {kernel}");
        });
        Assert.Empty(survivors);
    }
}
