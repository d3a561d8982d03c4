namespace RasNative.Cuda;

public sealed partial class CudaBackend
{
    /// <summary>Element-wise kernel over <paramref name="work"/> items (grid-stride, so the grid is capped).</summary>
    void Launch(string kernel, long work, params ReadOnlySpan<KernelArg> args)
    {
        if (work <= 0) return;
        long blocks = Math.Min((work + BlockSize - 1) / BlockSize, (long)device.Multiprocessors * 32);
        LaunchBlocks(kernel, (uint)blocks, args);
    }

    /// <summary>Block-per-row kernel (BLOCK_PER_ROW loops over rows beyond the grid).</summary>
    void LaunchRows(string kernel, long rows, params ReadOnlySpan<KernelArg> args)
    {
        if (rows <= 0) return;
        LaunchBlocks(kernel, (uint)Math.Min(rows, (long)device.Multiprocessors * 64), args);
    }

    unsafe void LaunchBlocks(string kernel, uint blocks, ReadOnlySpan<KernelArg> args, uint threads = BlockSize)
    {
        var values = stackalloc ulong[args.Length];
        var pointers = stackalloc void*[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            values[i] = args[i].Bits;
            pointers[i] = &values[i];
        }
        calls.Launch(kernels[kernel], kernel, blocks, threads, 0, pointers);
    }

    ScratchArena? scratch;

    /// <summary>Stream-ordered scratch from the backend's <see cref="ScratchArena"/>: given back with <see cref="FreeScratch"/> after the ops that use it are queued.</summary>
    ulong Scratch(long bytes) => (scratch ??= new ScratchArena(calls)).Take(bytes);

    void FreeScratch(ulong pointer) => scratch!.Give(pointer);
}
