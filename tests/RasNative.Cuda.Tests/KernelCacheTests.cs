using RasNative.Cuda.Compilation;
using Xunit;

namespace RasNative.Cuda.Tests;

public sealed class KernelCacheTests : IDisposable
{
    readonly string directory = Path.Combine(Path.GetTempPath(), "rasnative-cache-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void SecondLookupIsServedFromDisk()
    {
        var cache = new KernelCache(directory);
        int compiles = 0;
        byte[] Compile() { compiles++; return [1, 2, 3]; }
        Assert.Equal([1, 2, 3], cache.GetOrAdd("k", Compile));
        Assert.Equal([1, 2, 3], new KernelCache(directory).GetOrAdd("k", Compile));
        Assert.Equal(1, compiles);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("empty")]
    public void CorruptEntryIsRecompiledAndReplaced(string damage)
    {
        var cache = new KernelCache(directory);
        int compiles = 0;
        byte[] Compile() { compiles++; return [7, 8, 9, 10]; }
        cache.GetOrAdd("k", Compile);
        var path = cache.PathFor("k");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, damage switch
        {
            "flip" => [.. bytes[..^1], (byte)(bytes[^1] ^ 0xff)],
            "truncate" => bytes[..^2],
            _ => [],
        });

        Assert.Equal([7, 8, 9, 10], cache.GetOrAdd("k", Compile));
        Assert.Equal(2, compiles);
        Assert.Equal([7, 8, 9, 10], cache.GetOrAdd("k", Compile)); // the rewritten entry is valid again
        Assert.Equal(2, compiles);
    }

    [Fact]
    public void CorruptCubinIsRecompiledByNvrtc()
    {
        NvrtcRequirement.Ensure();
        var cache = new KernelCache(directory);
        var sources = KernelSourceSet.Embedded;
        var source = sources.Sources[0];
        var first = KernelCompiler.CompileCached(source, sources.Headers, "sm_80", CudaDType.F16, cache);
        var entry = Assert.Single(Directory.GetFiles(directory));
        var bytes = File.ReadAllBytes(entry);
        bytes[^10] ^= 0x5a;
        File.WriteAllBytes(entry, bytes);

        var second = KernelCompiler.CompileCached(source, sources.Headers, "sm_80", CudaDType.F16, cache);
        Assert.Equal(first, second);
        Assert.Equal(0x7f, second[0]); // ELF magic: a real CUBIN (or the emulator's module), not the damaged bytes
    }

    [Fact]
    public void KeyDependsOnEveryPart()
    {
        Assert.NotEqual(KernelCache.Key("ab", "c"), KernelCache.Key("a", "bc"));
        Assert.Equal(KernelCache.Key("a", "b"), KernelCache.Key("a", "b"));
    }
}
