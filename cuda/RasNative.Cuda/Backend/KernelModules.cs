using RasNative.Cuda.Compilation;
using RasNative.Cuda.Native;

namespace RasNative.Cuda;

/// <summary>
/// Every kernel source compiled (or taken from the disk cache) for one dtype and target and loaded into the
/// current context. Each kernel is looked up once, in the module of the source that defines it (probing other
/// modules would make every miss a CUDA_ERROR_NOT_FOUND that compute-sanitizer reports).
/// </summary>
public sealed unsafe class KernelModules : IDisposable
{
    readonly List<IntPtr> modules = [];
    readonly Dictionary<string, IntPtr> functions = [];

    /// <summary>Requires the owning context to be current on this thread.</summary>
    public KernelModules(string target, CudaDType dtype, KernelCache cache, KernelSourceSet sources)
    {
        var images = new byte[sources.Sources.Count][];
        Parallel.For(0, sources.Sources.Count, i => images[i] = KernelCompiler.CompileCached(sources.Sources[i], sources.Headers, target, dtype, cache));
        try
        {
            for (int i = 0; i < images.Length; i++)
            {
                IntPtr module;
                fixed (byte* p = images[i]) Driver.Check(Driver.cuModuleLoadData(out module, p));
                modules.Add(module);
                foreach (var kernel in sources.Sources[i].Kernels)
                {
                    Driver.Check(Driver.cuModuleGetFunction(out var function, module, kernel), $"cuModuleGetFunction({kernel})");
                    functions[kernel] = function;
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IntPtr this[string kernel] =>
        functions.TryGetValue(kernel, out var function) ? function : throw new KeyNotFoundException($"no kernel named {kernel} in the kernel sources");

    public void Dispose()
    {
        foreach (var module in modules) Driver.cuModuleUnload(module);
        modules.Clear();
    }
}
