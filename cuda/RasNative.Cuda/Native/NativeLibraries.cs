using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace RasNative.Cuda.Native;

/// <summary>
/// Maps the logical names used by the [LibraryImport] bindings to the sonames of CUDA 11.x–13.x and finds
/// them in: $CUDA_PATH/lib64 (and $CUDA_HOME), $LD_LIBRARY_PATH, pip wheels (site-packages/nvidia/*/lib),
/// the system loader's own search (ld.so.cache), then the usual system folders. Newest soname first.
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

    static readonly string[] SystemFolders =
        ["/usr/local/cuda/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/lib/wsl/lib"];

    static readonly ConcurrentDictionary<string, Lazy<(IntPtr Handle, Exception? Error)>> Loaded = new();
    static readonly object ResolverLock = new();
    static bool resolverSet;

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
        var (handle, error) = Find(library);
        return handle != IntPtr.Zero ? handle : throw error!;
    }

    public static bool TryLoad(string library, out IntPtr handle, out string reason)
    {
        (handle, var error) = Find(library);
        reason = error?.Message ?? "";
        return handle != IntPtr.Zero;
    }

    /// <summary>
    /// Binds <paramref name="library"/> to the file at <paramref name="path"/> for the rest of the process (the
    /// CPU-hosted emulator's libraries, which the search never finds). Replaces a search that found nothing; false,
    /// with the reason and nothing changed, when the file does not load or the library is already loaded.
    /// </summary>
    public static bool TryBind(string library, string path, out string reason)
    {
        if (!Sonames.ContainsKey(library)) throw new ArgumentException($"unknown library '{library}'", nameof(library));
        if (!NativeLibrary.TryLoad(path, out var handle))
        {
            reason = $"{library}: {path} does not load";
            return false;
        }
        var bound = new Lazy<(IntPtr, Exception?)>(() => (handle, null));
        var current = Loaded.AddOrUpdate(library, bound, (_, existing) => existing.Value.Handle == IntPtr.Zero ? bound : existing);
        reason = current == bound ? "" : $"{library} is already loaded from a library the search found";
        return current == bound;
    }

    /// <summary>Every file name tried, in order, for <paramref name="library"/> (exposed so the search order is testable).</summary>
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

    static (IntPtr, Exception?) Find(string library) =>
        Loaded.GetOrAdd(library, l => new Lazy<(IntPtr, Exception?)>(() => Search(l))).Value;

    static (IntPtr, Exception?) Search(string library)
    {
        var tried = new List<string>();
        foreach (var candidate in Candidates(library).Distinct())
        {
            tried.Add(candidate);
            if (NativeLibrary.TryLoad(candidate, out var handle)) return (handle, null);
        }
        var folders = SearchFolders().Distinct().Where(Directory.Exists).ToList();
        return (IntPtr.Zero, new CudaLibraryNotFoundException(library, Sonames[library], folders, tried));
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
