using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace RasNative.Cuda.Native;

/// <summary>
/// Maps the logical names used by the [LibraryImport] bindings to files. With the real libraries (RASNATIVE_CUDA
/// unset, auto or gpu): the sonames of CUDA 11.x–13.x, found in $CUDA_PATH/lib64 (and $CUDA_HOME),
/// $LD_LIBRARY_PATH, pip wheels (site-packages/nvidia/*/lib), the system loader's own search (ld.so.cache), then
/// the usual system folders, newest soname first. With the emulator (<see cref="CudaLibraryMode"/>): the
/// librasnative-*-emulator.so files of the emulator/ folder beside this assembly, loaded by path (never a
/// libcuda.so.1 on a search path); NVTX is then a no-op.
/// </summary>
public static class NativeLibraries
{
    public const string Driver = "cuda";
    public const string Cublas = "cublas";
    public const string CublasLt = "cublasLt";
    public const string Nvrtc = "nvrtc";
    public const string Nvtx = "nvToolsExt";

    static readonly Dictionary<string, string[]> Sonames = new()
    {
        [Driver] = ["libcuda.so.1", "libcuda.so"],
        [Cublas] = ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11"],
        [CublasLt] = ["libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so.11"],
        [Nvrtc] = ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so.11.*", "libnvrtc.so"],
        [Nvtx] = ["libnvToolsExt.so.1", "libnvtx3interop.so.1", "libnvtx3interop.so"],
    };

    /// <summary>The emulator's file for each library it emulates (cuda/emulator/Makefile builds them).</summary>
    static readonly Dictionary<string, string> EmulatorFiles = new()
    {
        [Driver] = "librasnative-cuda-emulator.so",
        [Cublas] = "librasnative-cublas-emulator.so",
        [CublasLt] = "librasnative-cublaslt-emulator.so",
        [Nvrtc] = "librasnative-nvrtc-emulator.so",
    };

    static readonly string[] SystemFolders =
        ["/usr/local/cuda/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/lib/wsl/lib"];

    static readonly ConcurrentDictionary<string, Lazy<Loaded>> Libraries = new();
    static readonly Lazy<Choice> Chosen = new(Choose);
    static readonly object ResolverLock = new();
    static bool resolverSet;

    sealed record Loaded(IntPtr Handle, string? Path, Exception? Error);

    /// <summary>Emulator or not, and (auto mode) the real driver probe that decided it.</summary>
    sealed record Choice(bool Emulator, CudaLibraryMode Mode, Loaded? RealDriver);

    /// <summary>
    /// In auto mode, use the emulator when no real driver is found. Only test assemblies set this (before the first
    /// CUDA call, from a module initializer): a user's run never silently becomes an emulated one.
    /// </summary>
    public static bool EmulatorFallback { get; set; }

    /// <summary>True when the bindings run on the emulator; decided at first use. Throws <see cref="CudaConfigurationException"/> for a bad RASNATIVE_CUDA.</summary>
    public static bool UsesEmulator => Chosen.Value.Emulator;

    /// <summary>Where the emulator's libraries are expected: emulator/ beside this assembly.</summary>
    public static string EmulatorDirectory => Path.Combine(AppContext.BaseDirectory, "emulator");

    /// <summary>Installs the resolver for this assembly's bindings; every binding class calls it from its static constructor.</summary>
    internal static void EnsureResolver()
    {
        lock (ResolverLock)
        {
            if (resolverSet) return;
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
            resolverSet = true;
        }
    }

    /// <summary>Loads <paramref name="library"/> (one of the constants above) or throws, listing what was tried.</summary>
    public static IntPtr Load(string library)
    {
        var loaded = Find(library);
        return loaded.Handle != IntPtr.Zero ? loaded.Handle : throw loaded.Error!;
    }

    public static bool TryLoad(string library, out IntPtr handle, out string reason)
    {
        var loaded = Find(library);
        handle = loaded.Handle;
        reason = loaded.Error?.Message ?? "";
        return handle != IntPtr.Zero;
    }

    /// <summary>
    /// Searches for the real <paramref name="library"/> whatever the mode: the search the bindings use with the real
    /// libraries, exposed so its order and its failure message are testable where the emulator is in use.
    /// </summary>
    public static bool TryLoadReal(string library, out IntPtr handle, out string reason)
    {
        var loaded = Search(library);
        handle = loaded.Handle;
        reason = loaded.Error?.Message ?? "";
        return handle != IntPtr.Zero;
    }

    /// <summary>The file <paramref name="library"/> was loaded from, or null when it is not loaded (or not loadable).</summary>
    public static string? LoadedPath(string library) => Find(library).Path;

    /// <summary>
    /// One line for reports and test output: which libraries are in use and why, e.g. "emulator
    /// (RASNATIVE_CUDA=emulator): /…/emulator/librasnative-cuda-emulator.so" or "gpu: /usr/lib/…/libcuda.so.1".
    /// </summary>
    public static string Describe()
    {
        var choice = Chosen.Value;
        string why = choice.Mode switch
        {
            CudaLibraryMode.Emulator => " (RASNATIVE_CUDA=emulator)",
            CudaLibraryMode.Gpu => " (RASNATIVE_CUDA=gpu)",
            _ => choice.Emulator ? " (auto: no CUDA driver found, emulator fallback)" : "",
        };
        var driver = Find(Driver);
        return (choice.Emulator ? "emulator" : "gpu") + why + ": " + (driver.Path ?? "driver not loaded: " + driver.Error?.Message);
    }

    /// <summary>Every file name tried, in order, for <paramref name="library"/> among the real libraries (exposed so the search order is testable).</summary>
    public static IReadOnlyList<string> Candidates(string library)
    {
        var folders = SearchFolders().ToList();
        var result = new List<string>();
        foreach (var soname in Sonames[library])
        {
            foreach (var folder in folders)
                result.AddRange(Expand(folder, soname));
            if (!soname.Contains('*')) result.Add(soname); // bare name: the dynamic loader's own search
        }
        return result;
    }

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        Sonames.ContainsKey(name) ? Load(name) : IntPtr.Zero;

    static Loaded Find(string library) => Libraries.GetOrAdd(library, l => new Lazy<Loaded>(() => Open(l))).Value;

    static Loaded Open(string library)
    {
        var choice = Chosen.Value;
        if (choice.Emulator) return OpenEmulator(library);
        return library == Driver && choice.RealDriver is { } probe ? probe : Search(library);
    }

    static Choice Choose()
    {
        var mode = CudaLibraryModes.FromEnvironment();
        if (mode != CudaLibraryMode.Auto || !EmulatorFallback) return new Choice(mode == CudaLibraryMode.Emulator, mode, null);
        var driver = Search(Driver);
        bool fallBack = driver.Handle == IntPtr.Zero && File.Exists(Path.Combine(EmulatorDirectory, EmulatorFiles[Driver]));
        return new Choice(fallBack, mode, driver);
    }

    static Loaded OpenEmulator(string library)
    {
        if (!EmulatorFiles.TryGetValue(library, out var file))
            return new Loaded(IntPtr.Zero, null, new DllNotFoundException($"{library} is not emulated (NVTX ranges are no-ops under the CUDA emulator)"));
        var path = Path.Combine(EmulatorDirectory, file);
        if (!File.Exists(path))
            return new Loaded(IntPtr.Zero, null, new DllNotFoundException(
                $"CUDA emulator library {path} not found: RasNative.Cuda builds it when g++ is installed (see docs/cuda.md)"));
        return NativeLibrary.TryLoad(path, out var handle)
            ? new Loaded(handle, path, null)
            : new Loaded(IntPtr.Zero, null, new DllNotFoundException($"CUDA emulator library {path} could not be loaded"));
    }

    static Loaded Search(string library)
    {
        var tried = new List<string>();
        // A newer NVRTC than the driver produces images the driver cannot load: skip those sonames.
        int? driverMajor = library == Nvrtc ? RealDriverMajorVersion() : null;
        foreach (var candidate in Candidates(library).Distinct())
        {
            if (driverMajor is int major && SonameMajor(candidate) is int nvrtcMajor && nvrtcMajor > major)
            {
                tried.Add($"{candidate} (skipped: newer than the driver's CUDA {major})");
                continue;
            }
            tried.Add(candidate);
            if (NativeLibrary.TryLoad(candidate, out var handle)) return new Loaded(handle, MappedFile(handle, library) ?? candidate, null);
        }
        var folders = SearchFolders().Distinct().Where(Directory.Exists).ToList();
        return new Loaded(IntPtr.Zero, null, new CudaLibraryNotFoundException(library, Sonames[library], folders, tried));
    }

    /// <summary>The CUDA major version the installed real driver supports (cuDriverGetVersion), or null without one.</summary>
    static unsafe int? RealDriverMajorVersion()
    {
        var driver = Chosen.Value.RealDriver ?? (Chosen.Value.Emulator ? null : Find(Driver));
        if (driver is not { Handle: var handle } || handle == IntPtr.Zero || !NativeLibrary.TryGetExport(handle, "cuDriverGetVersion", out var export)) return null;
        int version;
        return ((delegate* unmanaged<int*, int>)export)(&version) == 0 ? version / 1000 : null;
    }

    /// <summary>13 for libnvrtc.so.13, 11 for libnvrtc.so.11.2; null for an unversioned name.</summary>
    static int? SonameMajor(string path)
    {
        var name = Path.GetFileName(path);
        int so = name.IndexOf(".so.", StringComparison.Ordinal);
        if (so < 0) return null;
        var version = name[(so + 4)..];
        int dot = version.IndexOf('.');
        return int.TryParse(dot < 0 ? version : version[..dot], out var major) ? major : null;
    }

    /// <summary>The file a loaded library's code is mapped from (/proc/self/maps), so a bare soname reports its real path.</summary>
    static string? MappedFile(IntPtr handle, string library)
    {
        string symbol = library switch { Driver => "cuInit", Nvrtc => "nvrtcVersion", Cublas => "cublasCreate_v2", CublasLt => "cublasLtCreate", _ => "nvtxRangePop" };
        if (!NativeLibrary.TryGetExport(handle, symbol, out var address)) return null;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                int dash = line.IndexOf('-'), space = line.IndexOf(' ');
                if (dash < 0 || space < dash) continue;
                ulong start = ulong.Parse(line.AsSpan(0, dash), NumberStyles.HexNumber), end = ulong.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber);
                if ((ulong)address >= start && (ulong)address < end && line.IndexOf('/') is int slash and >= 0) return line[slash..];
            }
        }
        catch (IOException)
        {
            // No /proc: the candidate name is still a useful answer.
        }
        return null;
    }

    static IEnumerable<string> Expand(string folder, string soname)
    {
        if (!Directory.Exists(folder)) return [];
        if (!soname.Contains('*')) return File.Exists(Path.Combine(folder, soname)) ? [Path.Combine(folder, soname)] : [];
        return Directory.EnumerateFiles(folder, soname).Order(StringComparer.Ordinal).Reverse();
    }

    static IEnumerable<string> SearchFolders()
    {
        foreach (var variable in new[] { "CUDA_PATH", "CUDA_HOME" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } root)
            {
                yield return Path.Combine(root, "lib64");
                yield return Path.Combine(root, "lib");
            }
        foreach (var folder in (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            yield return folder;
        foreach (var folder in PipFolders())
            yield return folder;
        foreach (var folder in SystemFolders)
            yield return folder;
    }

    /// <summary>The lib folders of pip's nvidia-* wheels (nvidia/cublas/lib, nvidia/cuda_nvrtc/lib, …).</summary>
    static IEnumerable<string> PipFolders()
    {
        var roots = new List<string>();
        foreach (var variable in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } prefix)
                roots.Add(Path.Combine(prefix, "lib"));
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 0) roots.Add(Path.Combine(home, ".local", "lib"));
        roots.AddRange(["/usr/local/lib", "/usr/lib", "/opt/conda/lib"]);

        foreach (var root in roots.Where(Directory.Exists))
            foreach (var python in SafeDirectories(root, "python3*"))
                foreach (var packages in new[] { "site-packages", "dist-packages" })
                    foreach (var lib in SafeDirectories(Path.Combine(python, packages, "nvidia"), "*"))
                        yield return Path.Combine(lib, "lib");
    }

    static IEnumerable<string> SafeDirectories(string folder, string pattern)
    {
        try
        {
            return Directory.Exists(folder) ? Directory.GetDirectories(folder, pattern).Order(StringComparer.Ordinal) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
