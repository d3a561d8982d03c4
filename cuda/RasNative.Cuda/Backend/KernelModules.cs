using RasNative.Cuda.Compilation;
using RasNative.Cuda.Native;

namespace RasNative.Cuda;

/// <summary>
/// Every kernel source compiled (or taken from the disk cache) for one dtype and target and loaded into
/// the current context; kernels are looked up by their extern "C" name across the modules.
/// </summary>
public sealed unsafe class KernelModules : IDisposable
{
    readonly List<IntPtr> modules = [];
    readonly Dictionary<string, IntPtr> functions = [];

    /// <summary>Requires the owning context to be current on this thread.</summary>
    public KernelModules(string target, CudaDType dtype, KernelCache cache)
    {
        var sources = KernelSource.All;
        var images = new byte[sources.Count][];
        Parallel.For(0, sources.Count, i => images[i] = KernelCompiler.CompileCached(sources[i], target, dtype, cache));
        foreach (var image in images)
        {
            fixed (byte* p = image)
            {
                Driver.Check(Driver.cuModuleLoadData(out var module, p));
                modules.Add(module);
            }
        }
    }

    public IntPtr this[string kernel]
    {
        get
        {
            lock (functions)
            {
                if (functions.TryGetValue(kernel, out var cached)) return cached;
                foreach (var module in modules)
                {
                    int result = Driver.cuModuleGetFunction(out var function, module, kernel);
                    if (result == Driver.ErrorNotFound) continue;
                    Driver.Check(result, $"cuModuleGetFunction({kernel})");
                    functions[kernel] = function;
                    return function;
                }
                throw new KeyNotFoundException($"no kernel named {kernel} in kernels/*.cu");
            }
        }
    }

    public void Dispose()
    {
        foreach (var module in modules) Driver.cuModuleUnload(module);
        modules.Clear();
    }
}
