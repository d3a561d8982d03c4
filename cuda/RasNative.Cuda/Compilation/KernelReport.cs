namespace RasNative.Cuda.Compilation;

/// <summary>
/// One kernel of one (source, dtype) compilation. A source that fails to compile appears once, named after
/// its file, with <see cref="Success"/> false and NVRTC's log; resource figures come from ptxas and are
/// null when it printed none.
/// </summary>
public sealed record KernelReport(
    string Name, string File, string DType, bool Success,
    int? Registers, int? SharedBytes, int? StackBytes, int? SpillStoreBytes, int? SpillLoadBytes, string Log);

public sealed record KernelCompileReport(string Arch, string NvrtcVersion, IReadOnlyList<KernelReport> Kernels)
{
    public int Compiled => Kernels.Count(k => k.Success);

    public int Failed => Kernels.Count(k => !k.Success);
}
