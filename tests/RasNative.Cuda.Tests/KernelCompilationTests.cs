using RasNative.Cuda.Compilation;
using Xunit;

namespace RasNative.Cuda.Tests;

public class KernelCompilationTests
{
    [Theory]
    [InlineData("sm_80")]
    [InlineData("sm_90")]
    public void EveryKernelCompilesForEveryDType(string arch)
    {
        NvrtcRequirement.Ensure();
        var report = KernelCompiler.CompileAll(arch);
        var failures = string.Join("\n\n", report.Kernels.Where(k => !k.Success).Select(k => $"{k.File} ({k.DType}):\n{k.Log}"));
        Assert.True(report.Failed == 0, failures);
        Assert.True(report.Compiled > 0);
        Assert.Equal(arch, report.Arch);
        Assert.All(report.Kernels, k => Assert.True(k.Registers > 0, $"{k.Name} ({k.DType}): {k.ResourceNote}"));
        Assert.All(report.Kernels, k => Assert.True(k.SpillStoreBytes is null or 0, $"{k.Name} ({k.DType}) spills {k.SpillStoreBytes} bytes"));
        // Every source compiles for every dtype, so each kernel name appears once per dtype.
        Assert.All(report.Kernels.GroupBy(k => k.Name), g => Assert.Equal(Enum.GetValues<CudaDType>().Length, g.Count()));
    }

    [Fact]
    public void PtxTargetCompilesWithoutResourceFigures()
    {
        NvrtcRequirement.Ensure();
        var report = KernelCompiler.CompileAll("compute_80");
        Assert.Equal(0, report.Failed);
        Assert.All(report.Kernels, k => Assert.Null(k.Registers));
    }

    [Fact]
    public void UnknownArchFailsEveryUnitWithALog()
    {
        NvrtcRequirement.Ensure();
        var report = KernelCompiler.CompileAll("sm_1");
        Assert.Equal(0, report.Compiled);
        Assert.All(report.Kernels, k => Assert.NotEmpty(k.Log));
    }

    [Fact]
    public void DeviceArchFallsBackToPtxWhenNvrtcIsTooOld()
    {
        NvrtcRequirement.Ensure();
        var newest = KernelCompiler.SupportedArchs().Max();
        Assert.Equal($"sm_{newest}", KernelCompiler.TargetFor(newest / 10, newest % 10));
        Assert.Equal($"compute_{newest}", KernelCompiler.TargetFor(99, 9));
    }

    [Theory]
    [InlineData("sm_80")]
    [InlineData("sm_90")]
    public void TensorCoreBuildingBlocksCompileForTheirArchs(string arch)
    {
        NvrtcRequirement.Ensure();
        // The test-only kernels use every device function of ras_tensor_core.cuh (mma, ldmatrix, cp.async).
        var output = NvrtcProgram.Compile(Emulator.ProbeContext.Source, KernelSourceSet.Embedded.Headers, KernelCompiler.Options(arch, CudaDType.F32), NvrtcImage.None);
        Assert.True(output.Success, output.Log);
    }

    [Fact]
    public void CompileErrorsAreNvrtcs()
    {
        NvrtcRequirement.Ensure();
        var broken = new KernelSource("broken.cu", "extern \"C\" __global__ void broken(float* y) { y[0] = undeclared_value; }\n");
        var output = NvrtcProgram.Compile(broken, [], KernelCompiler.Options("sm_90", CudaDType.F32), NvrtcImage.Cubin);
        Assert.False(output.Success);
        Assert.Contains("broken.cu", output.Log);
        Assert.Contains("undeclared_value", output.Log);
    }

    [Fact]
    public void KernelSourcesAreEmbedded()
    {
        Assert.Contains(KernelSourceSet.Embedded.Sources, s => s.FileName == "attention.cu");
        Assert.Contains(KernelSourceSet.Embedded.Headers, s => s.FileName == "ras.cuh");
        Assert.Equal("attention.cu", KernelSourceSet.Embedded.SourceOf("softmax_rows").FileName);
    }

    [Fact]
    public void RegistersReadFromTheCubinEqualPtxasLog()
    {
        NvrtcRequirement.Ensure();
        var sources = KernelSourceSet.Embedded;
        foreach (var source in sources.Sources)
        {
            var output = NvrtcProgram.Compile(source, sources.Headers, KernelCompiler.Options("sm_90", CudaDType.BF16), NvrtcImage.ResourceCubin);
            Assert.True(output.Success, output.Log);
            var fromCubin = CubinResources.Parse(output.Image);
            var logged = PtxasLog.Parse(output.Log);
            Assert.NotEmpty(logged);
            Assert.All(logged, k => Assert.Equal((k.Registers, k.StackBytes), fromCubin[k.Name]));
            Assert.Equal(source.Kernels.Order(), fromCubin.Keys.Where(n => !n.StartsWith('$')).Order());
        }
    }
}
