using RasNative.Runtime.Backends;

namespace RasNative.Cuda.Tests.Parity;

/// <summary>
/// The CPU backend (RasNative.Runtime.Cpu.CpuBackend), the reference semantics, found by name so these
/// tests keep compiling whatever its constructor's optional settings become.
/// </summary>
static class CpuReference
{
    public static IBackend? TryCreate(out string reason)
    {
        var type = typeof(IBackend).Assembly.GetType("RasNative.Runtime.Cpu.CpuBackend");
        var constructor = type?.GetConstructors().OrderBy(c => c.GetParameters().Length).FirstOrDefault();
        if (constructor is null || constructor.GetParameters().Any(p => !p.HasDefaultValue))
        {
            reason = "RasNative.Runtime.Cpu.CpuBackend has no constructor usable without arguments";
            return null;
        }
        reason = "";
        return (IBackend)constructor.Invoke(constructor.GetParameters().Select(p => p.DefaultValue).ToArray());
    }
}
