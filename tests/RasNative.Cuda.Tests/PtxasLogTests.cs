using RasNative.Cuda.Compilation;
using Xunit;

namespace RasNative.Cuda.Tests;

public class PtxasLogTests
{
    [Fact]
    public void ParsesEntryFunctionsAndIgnoresDeviceFunctionProperties()
    {
        const string log = """
            ptxas info    : 0 bytes gmem
            ptxas info    : Compiling entry function 'softmax_rows' for 'sm_80'
            ptxas info    : Function properties for helper
            ptxas         .     16 bytes stack frame, 4 bytes spill stores, 4 bytes spill loads
            ptxas info    : Function properties for softmax_rows
            ptxas         .     8 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            ptxas info    : Used 27 registers, 132 bytes smem, 388 bytes cmem[0]
            ptxas info    : Compiling entry function 'silu' for 'sm_80'
            ptxas info    : Function properties for silu
            ptxas         .     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
            ptxas info    : Used 21 registers, 376 bytes cmem[0]
            """;
        var kernels = PtxasLog.Parse(log);
        Assert.Equal([new KernelResources("softmax_rows", 27, 132, 8, 0, 0), new KernelResources("silu", 21, 0, 0, 0, 0)], kernels);
    }
}
