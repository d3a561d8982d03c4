using RasNative.Cuda.Native;

namespace RasNative.Cuda.Compilation;

/// <summary>
/// Compiles kernel sources with NVRTC: for the backend (one dtype, disk-cached) and for the `kernels` report
/// (every source × dtype for an arch, no GPU needed, never from the cache). Not -use_fast_math: the fp32
/// kernels must match the CPU backend to ~1e-5.
/// </summary>
public static class KernelCompiler
{
    static readonly CudaDType[] AllDTypes = Enum.GetValues<CudaDType>();

    /// <summary>"major.minor"; throws <see cref="CudaLibraryNotFoundException"/> when no NVRTC is installed.</summary>
    public static string NvrtcVersion()
    {
        Nvrtc.Check(Nvrtc.nvrtcVersion(out var major, out var minor));
        return $"{major}.{minor}";
    }

    /// <summary>The sm_XX numbers (e.g. 80, 90) this NVRTC can emit CUBINs for.</summary>
    public static unsafe IReadOnlyList<int> SupportedArchs()
    {
        Nvrtc.Check(Nvrtc.nvrtcGetNumSupportedArchs(out var count));
        var archs = new int[count];
        fixed (int* p = archs) Nvrtc.Check(Nvrtc.nvrtcGetSupportedArchs(p));
        return archs;
    }

    /// <summary>
    /// sm_XY when NVRTC knows the device's arch; otherwise PTX for the newest older arch it knows, which the
    /// driver JIT-compiles (a CUBIN never runs on a newer major arch, PTX does).
    /// </summary>
    public static string TargetFor(int major, int minor)
    {
        int arch = major * 10 + minor;
        var supported = SupportedArchs();
        if (supported.Contains(arch)) return $"sm_{arch}";
        var older = supported.Where(a => a < arch).ToList();
        return older.Count > 0
            ? $"compute_{older.Max()}"
            : throw new NotSupportedException($"NVRTC {NvrtcVersion()} cannot target sm_{arch} (supports {string.Join(", ", supported)})");
    }

    public static IReadOnlyList<string> Options(string target, CudaDType dtype)
    {
        var options = new List<string>
        {
            "--gpu-architecture=" + target, "-default-device", "--std=c++17", "-lineinfo", $"-DRAS_DTYPE={dtype.KernelMacro()}",
        };
        if (IsCubinTarget(target)) options.Add("--ptxas-options=-v"); // resource usage in the log, for the report
        return options;
    }

    /// <summary>Every source for every dtype, compiled for <paramref name="target"/> (sm_XX or compute_XX) in parallel, bypassing the kernel cache.</summary>
    public static KernelCompileReport CompileAll(string target, KernelSourceSet? sources = null)
    {
        sources ??= KernelSourceSet.Default;
        var version = NvrtcVersion(); // fails fast, with the resolver's message, when NVRTC is missing
        var units = sources.Sources.SelectMany(s => AllDTypes.Select(d => (Source: s, DType: d))).ToArray();
        var reports = new IReadOnlyList<KernelReport>[units.Length];
        Parallel.For(0, units.Length, i => reports[i] = Report(units[i].Source, sources.Headers, units[i].DType, target, version));
        return new KernelCompileReport(target, version, reports.SelectMany(r => r).ToArray());
    }

    /// <summary>
    /// The image (CUBIN, or NUL-terminated PTX for compute_XX; under the emulator its x86-64 module) for one
    /// source, from the cache when valid. The key includes the emulator's identity, so emulated images and
    /// real CUBINs never mix.
    /// </summary>
    public static byte[] CompileCached(KernelSource source, IReadOnlyList<KernelSource> headers, string target, CudaDType dtype, KernelCache cache)
    {
        var options = Options(target, dtype);
        string libraries = NativeLibraries.UsesEmulator ? "emulator: " + EmulatorControl.NvrtcIdentity : "nvrtc";
        var key = KernelCache.Key([source.Text, .. headers.Select(h => h.FileName + h.Text), target, .. options, NvrtcVersion(), libraries]);
        return cache.GetOrAdd(key, () =>
        {
            var output = NvrtcProgram.Compile(source, headers, options, IsCubinTarget(target) ? NvrtcImage.Cubin : NvrtcImage.Ptx);
            return output.Success ? output.Image : throw new InvalidOperationException($"NVRTC failed on {source.FileName} ({dtype}, {target}):\n{output.Log}");
        });
    }

    static IReadOnlyList<KernelReport> Report(KernelSource source, IReadOnlyList<KernelSource> headers, CudaDType dtype, string target, string nvrtcVersion)
    {
        bool cubin = IsCubinTarget(target);
        var output = NvrtcProgram.Compile(source, headers, Options(target, dtype), cubin ? NvrtcImage.ResourceCubin : NvrtcImage.None);
        var dtypeName = dtype.KernelTypeName();
        if (!output.Success) return [new KernelReport(source.Name, source.FileName, dtypeName, false, null, null, null, null, null, output.Log)];
        var diagnostics = string.Join('\n', output.Log.Split('\n').Where(l => !l.StartsWith("ptxas", StringComparison.Ordinal))).Trim();
        var logged = PtxasLog.Parse(output.Log).ToDictionary(r => r.Name);
        var fromCubin = CubinResources.Parse(output.Image);
        return source.Kernels.Order(StringComparer.Ordinal).Select(name =>
        {
            if (!cubin)
                return new KernelReport(name, source.FileName, dtypeName, true, null, null, null, null, null, diagnostics, "n/a: a PTX target is not assembled, so ptxas reports nothing");
            logged.TryGetValue(name, out var log);
            fromCubin.TryGetValue(name, out var elf);
            int? registers = log?.Registers ?? elf.Registers, stack = log?.StackBytes ?? elf.StackBytes;
            string? note = registers is null
                ? $"n/a: NVRTC {nvrtcVersion} printed no ptxas resource line and the CUBIN holds no register count"
                : log?.SpillStoreBytes is null ? $"registers from the CUBIN: NVRTC {nvrtcVersion} printed no ptxas line (no shared/spill figures)" : null;
            return new KernelReport(name, source.FileName, dtypeName, true, registers, log?.SharedBytes, stack, log?.SpillStoreBytes, log?.SpillLoadBytes, diagnostics, note);
        }).ToArray();
    }

    static bool IsCubinTarget(string target) => target.StartsWith("sm_", StringComparison.Ordinal);
}
