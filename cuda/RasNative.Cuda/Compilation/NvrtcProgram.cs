using System.Text;
using RasNative.Cuda.Native;

namespace RasNative.Cuda.Compilation;

/// <summary>Result of one NVRTC compilation: the log and, on success, the requested image.</summary>
public sealed record NvrtcOutput(bool Success, string Log, byte[] Image);

/// <summary>What <see cref="NvrtcProgram.Compile"/> returns besides the log.</summary>
public enum NvrtcImage
{
    /// <summary>The CUBIN the driver loads (sm_XX targets; under the emulator its x86-64 module).</summary>
    Cubin,

    /// <summary>NUL-terminated PTX (compute_XX targets; under the emulator, as for Cubin, its module).</summary>
    Ptx,

    /// <summary>The real NVRTC's CUBIN to read resource figures from; never built by the emulator's host compiler (empty without a real NVRTC).</summary>
    ResourceCubin,

    None,
}

/// <summary>Thin wrapper over one nvrtcProgram lifetime. Thread-safe: every call creates its own program.</summary>
public static unsafe class NvrtcProgram
{
    public static NvrtcOutput Compile(KernelSource source, IReadOnlyList<KernelSource> headers, IReadOnlyList<string> options, NvrtcImage image)
    {
        var strings = new List<IntPtr>();
        try
        {
            byte* Utf8(string s)
            {
                var bytes = Encoding.UTF8.GetBytes(s + "\0");
                var p = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)bytes.Length);
                bytes.CopyTo(new Span<byte>(p, bytes.Length));
                strings.Add((IntPtr)p);
                return p;
            }

            var headerTexts = stackalloc byte*[headers.Count];
            var headerNames = stackalloc byte*[headers.Count];
            for (int i = 0; i < headers.Count; i++)
            {
                headerTexts[i] = Utf8(headers[i].Text);
                headerNames[i] = Utf8(headers[i].FileName);
            }
            var optionPtrs = stackalloc byte*[options.Count];
            for (int i = 0; i < options.Count; i++) optionPtrs[i] = Utf8(options[i]);

            Nvrtc.Check(Nvrtc.nvrtcCreateProgram(out var program, Utf8(source.Text), Utf8(source.FileName), headers.Count, headerTexts, headerNames));
            try
            {
                int result = Nvrtc.nvrtcCompileProgram(program, options.Count, optionPtrs);
                var log = GetLog(program);
                if (result != Nvrtc.Success) return new NvrtcOutput(false, log.Length > 0 ? log : Nvrtc.Describe(result), []);
                try
                {
                    return new NvrtcOutput(true, log, GetImage(program, image));
                }
                catch (CudaException e)
                {
                    // The emulator builds its image on request; a host-compiler failure leaves its diagnostics in the log.
                    var hostLog = GetLog(program);
                    return new NvrtcOutput(false, hostLog.Length > 0 ? hostLog : e.Message, []);
                }
            }
            finally
            {
                Nvrtc.nvrtcDestroyProgram(ref program);
            }
        }
        finally
        {
            foreach (var p in strings) System.Runtime.InteropServices.NativeMemory.Free((void*)p);
        }
    }

    static byte[] GetImage(IntPtr program, NvrtcImage image) => image switch
    {
        NvrtcImage.Cubin => GetCubin(program),
        NvrtcImage.Ptx => GetPtx(program),
        NvrtcImage.ResourceCubin => NativeLibraries.UsesEmulator ? EmulatorControl.RealCubin(program) : GetCubin(program),
        _ => [],
    };

    static string GetLog(IntPtr program)
    {
        Nvrtc.Check(Nvrtc.nvrtcGetProgramLogSize(program, out var size));
        var buffer = new byte[size];
        fixed (byte* p = buffer) Nvrtc.Check(Nvrtc.nvrtcGetProgramLog(program, p));
        return Encoding.UTF8.GetString(buffer).TrimEnd('\0').Trim();
    }

    static byte[] GetCubin(IntPtr program)
    {
        Nvrtc.Check(Nvrtc.nvrtcGetCUBINSize(program, out var size));
        var buffer = new byte[size];
        fixed (byte* p = buffer) Nvrtc.Check(Nvrtc.nvrtcGetCUBIN(program, p));
        return buffer;
    }

    static byte[] GetPtx(IntPtr program)
    {
        Nvrtc.Check(Nvrtc.nvrtcGetPTXSize(program, out var size)); // includes the terminating NUL
        var buffer = new byte[size];
        fixed (byte* p = buffer) Nvrtc.Check(Nvrtc.nvrtcGetPTX(program, p));
        return buffer;
    }
}
