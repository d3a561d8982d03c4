using RasNative.Cuda.Native;

namespace RasNative.Cuda;

/// <summary>Cheap, exception-free probe for a usable CUDA driver and GPU.</summary>
public static class GpuAvailability
{
    /// <summary>(true, "NVIDIA H100 … (sm_90)") when device 0 is usable, else (false, why not).</summary>
    public static (bool Available, string Reason) Check()
    {
        var arch = ProbeArch(out var reason);
        return (arch != null, reason);
    }

    /// <summary>Device 0's "sm_XY", or null without a driver or GPU.</summary>
    public static string? DeviceArch() => ProbeArch(out _);

    static string? ProbeArch(out string reason)
    {
        if (!NativeLibraries.TryLoad(NativeLibraries.Driver, out _, out reason)) return null;
        try
        {
            int result = Driver.cuInit(0);
            if (result != Driver.Success) return Fail(out reason, "cuInit: " + Driver.Describe(result));
            result = Driver.cuDeviceGetCount(out var count);
            if (result != Driver.Success) return Fail(out reason, "cuDeviceGetCount: " + Driver.Describe(result));
            if (count == 0) return Fail(out reason, "the CUDA driver reports no devices");
            Driver.Check(Driver.cuDeviceGet(out var device, 0));
            Driver.Check(Driver.cuDeviceGetAttribute(out var major, Driver.AttributeComputeCapabilityMajor, device));
            Driver.Check(Driver.cuDeviceGetAttribute(out var minor, Driver.AttributeComputeCapabilityMinor, device));
            var arch = $"sm_{major}{minor}";
            reason = $"{CudaDevice.DeviceName(device)} ({arch})";
            return arch;
        }
        catch (Exception e) when (e is CudaException or EntryPointNotFoundException or DllNotFoundException)
        {
            return Fail(out reason, e.Message);
        }
    }

    static string? Fail(out string reason, string message)
    {
        reason = message;
        return null;
    }
}
