using System.Text;
using RasNative.Cuda.Native;

namespace RasNative.Cuda.Compilation;

/// <summary>Result of one NVRTC compilation: the log and, on success, a CUBIN (sm_XX) or PTX (compute_XX) image.</summary>
public sealed record NvrtcOutput(bool Success, string Log, byte[] Image);

/// <summary>Thin wrapper over one nvrtcProgram lifetime. Thread-safe: every call creates its own program.</summary>
public static unsafe class NvrtcProgram
{
    /// <summary>Compiles <paramref name="source"/>; for a compute_XX target the image is null-terminated PTX.</summary>
    public static NvrtcOutput Compile(KernelSource source, IReadOnlyList<KernelSource> headers, IReadOnlyList<string> options, bool ptx)
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
                return new NvrtcOutput(true, log, ptx ? GetPtx(program) : GetCubin(program));
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
