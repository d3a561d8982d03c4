using System.Runtime.InteropServices;
using RasNative.Cuda.Native;
using Xunit;

namespace RasNative.Cuda.Tests.Emulator;

/// <summary>
/// The device the BLAS tests run on, chosen once per process: device memory and synchronisation go through
/// <see cref="Driver"/> and cuBLAS(Lt) is whatever the resolver loaded — on a GPU the same tests check NVIDIA's
/// libraries' contracts, elsewhere the CPU-hosted emulator's.
/// All BLAS test classes share the <see cref="BlasCollection"/>, so they never run concurrently.
/// </summary>
public abstract unsafe class BlasHost
{
    static readonly Lazy<(BlasHost? Host, string Reason)> Chosen = new(Choose);

    /// <summary>The host, or the test is skipped (failed under CI=true, where the emulator must have been built).</summary>
    public static BlasHost Require()
    {
        var (host, reason) = Chosen.Value;
        if (host != null) return host;
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Assert.Fail("the BLAS emulator is required in CI: " + reason);
        Assert.Skip(reason);
        return null!;
    }

    /// <summary>True when cuBLAS is the emulator (it exports rasemu_blas_emulator), false for NVIDIA's library.</summary>
    public bool IsEmulator { get; private init; }

    public string Description { get; private init; } = "";

    public abstract ulong Allocate(long bytes);

    public abstract void Free(ulong address);

    public abstract void Write(ulong address, ReadOnlySpan<byte> bytes);

    /// <summary>Reads after synchronising (which must succeed).</summary>
    public abstract byte[] Read(ulong address, long bytes);

    /// <summary>Waits for all queued work; the CUresult (an error a task reported, e.g. 700 CUDA_ERROR_ILLEGAL_ADDRESS).</summary>
    public abstract int Synchronize();

    /// <summary>Runs <paramref name="body"/> where a sticky error cannot outlive it (a context of its own on a driver).</summary>
    public abstract void Isolated(Action body);

    /// <summary>The last error message the emulated driver printed; null on a GPU.</summary>
    public abstract string? LastErrorMessage { get; }

    /// <summary>Makes this host's context current on the calling thread (cuBLAS handles bind to the current context).</summary>
    public abstract void Enter();

    public IntPtr CreateBlas()
    {
        Enter();
        Cublas.Check(Cublas.cublasCreate(out var handle));
        return handle;
    }

    public IntPtr CreateLt()
    {
        Enter();
        CublasLt.Check(CublasLt.cublasLtCreate(out var handle));
        return handle;
    }

    public ulong Upload(ReadOnlySpan<byte> bytes)
    {
        ulong address = Allocate(Math.Max(bytes.Length, 1));
        Write(address, bytes);
        return address;
    }

    static (BlasHost?, string) Choose()
    {
        var (device, why) = GpuAvailability.Check();
        return device ? (new DriverHost(why), "") : (null, $"no CUDA device: {why}");
    }

    static bool ExportsEmulatorMarker() =>
        NativeLibrary.TryGetExport(NativeLibraries.Load(NativeLibraries.Cublas), "rasemu_blas_emulator", out _);

    /// <summary>Device memory and synchronisation through the driver API on the primary context of device 0.</summary>
    sealed class DriverHost : BlasHost
    {
        readonly IntPtr primary;
        readonly delegate* unmanaged<out IntPtr, uint, int, int> ctxCreate;
        readonly delegate* unmanaged<IntPtr, int> ctxDestroy;
        IntPtr current;

        public DriverHost(string device)
        {
            Driver.Check(Driver.cuInit(0));
            Driver.Check(Driver.cuDeviceGet(out var ordinal, 0));
            Driver.Check(Driver.cuDevicePrimaryCtxRetain(out primary, ordinal));
            current = primary;
            // Not bound by the backend: looked up here, and a driver without them skips the isolated tests.
            var driver = NativeLibraries.Load(NativeLibraries.Driver);
            if (NativeLibrary.TryGetExport(driver, "cuCtxCreate_v2", out var create) && NativeLibrary.TryGetExport(driver, "cuCtxDestroy_v2", out var destroy))
            {
                ctxCreate = (delegate* unmanaged<out IntPtr, uint, int, int>)create;
                ctxDestroy = (delegate* unmanaged<IntPtr, int>)destroy;
            }
            IsEmulator = ExportsEmulatorMarker();
            Description = $"{device} through the driver API, {(IsEmulator ? "emulated" : "NVIDIA's")} cuBLAS";
        }

        void MakeCurrent() => Driver.Check(Driver.cuCtxSetCurrent(current));

        public override void Enter() => MakeCurrent();

        public override ulong Allocate(long bytes)
        {
            MakeCurrent();
            Driver.Check(Driver.cuMemAlloc(out var address, (nuint)bytes));
            return address;
        }

        public override void Free(ulong address)
        {
            MakeCurrent();
            Driver.Check(Driver.cuMemFree(address));
        }

        public override void Write(ulong address, ReadOnlySpan<byte> bytes)
        {
            MakeCurrent();
            fixed (byte* source = bytes) Driver.Check(Driver.cuMemcpyHtoDAsync(address, source, (nuint)bytes.Length, IntPtr.Zero));
            Driver.Check(Driver.cuCtxSynchronize());
        }

        public override byte[] Read(ulong address, long bytes)
        {
            MakeCurrent();
            var result = new byte[bytes];
            fixed (byte* destination = result) Driver.Check(Driver.cuMemcpyDtoHAsync(destination, address, (nuint)bytes, IntPtr.Zero));
            Driver.Check(Driver.cuCtxSynchronize());
            return result;
        }

        public override int Synchronize()
        {
            MakeCurrent();
            return Driver.cuCtxSynchronize();
        }

        public override void Isolated(Action body)
        {
            if (ctxCreate == null) Assert.Skip("the driver exports no cuCtxCreate_v2/cuCtxDestroy_v2 for a context of the test's own");
            Driver.Check(ctxCreate(out var context, 0, 0));
            current = context;
            try
            {
                body();
            }
            finally
            {
                current = primary;
                ctxDestroy(context);
                MakeCurrent();
            }
        }

        public override string? LastErrorMessage => IsEmulator ? EmulatorControl.LastErrorDetail : null;
    }
}

/// <summary>One collection for every BLAS test class: they share <see cref="BlasHost"/> and its sticky errors.</summary>
[CollectionDefinition(nameof(BlasCollection), DisableParallelization = true)]
public sealed class BlasCollection;
