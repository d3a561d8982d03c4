using RasNative.Cuda.Compilation;
using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>The emulated NVRTC and module loader: what the real compiler accepts but the host cannot run is refused with a reason.</summary>
public unsafe class EmulatedNvrtcTests
{
    [Fact]
    public void InlinePtxOutsideATwinFailsWithTheHostCompilersDiagnostics()
    {
        EmulatorRequirement.Ensure();
        NvrtcRequirement.Ensure();
        var source = new KernelSource("lane.cu",
            "extern \"C\" __global__ void lane(unsigned* y) { unsigned l; asm(\"mov.u32 %0, %%laneid;\" : \"=r\"(l)); y[threadIdx.x] = l; }\n");
        var output = NvrtcProgram.Compile(source, [], KernelCompiler.Options("sm_90", CudaDType.F32), NvrtcImage.Cubin);
        Assert.False(output.Success);
        Assert.Contains("emulated NVRTC: g++ failed compiling lane.cu", output.Log);
    }

    [Fact]
    public void RealCubinIsRefusedWithAReason()
    {
        EmulatorRequirement.Ensure();
        NvrtcRequirement.Ensure();
        using var device = new ProbeContext();
        var sources = KernelSourceSet.Embedded;
        var cubin = NvrtcProgram.Compile(sources.SourceOf("silu"), sources.Headers, KernelCompiler.Options("sm_90", CudaDType.F32), NvrtcImage.ResourceCubin);
        Assert.True(cubin.Success && cubin.Image.Length > 0, cubin.Log);
        fixed (byte* p = cubin.Image) Assert.Equal(200, Driver.cuModuleLoadData(out _, p)); // CUDA_ERROR_INVALID_IMAGE
        Assert.Contains("a CUBIN for a real GPU", EmulatorControl.LastErrorDetail);
    }
}
