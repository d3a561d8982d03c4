namespace RasNative.Cuda.Compilation;

/// <summary>
/// One kernel of one (source, dtype) compilation. A source that fails to compile appears once, named after
/// its file, with <see cref="Success"/> false and NVRTC's log. Registers and stack come from ptxas's log or,
/// where it printed none, from the CUBIN; shared memory and spills only from the log. A figure neither gave is
/// null and <see cref="ResourceNote"/> says why.
/// </summary>
public sealed record KernelReport(
    string Name, string File, string DType, bool Success,
    int? Registers, int? SharedBytes, int? StackBytes, int? SpillStoreBytes, int? SpillLoadBytes, string Log, string? ResourceNote = null);

public sealed record KernelCompileReport(string Arch, string NvrtcVersion, IReadOnlyList<KernelReport> Kernels)
{
    public int Compiled => Kernels.Count(k => k.Success);

    public int Failed => Kernels.Count(k => !k.Success);
}
