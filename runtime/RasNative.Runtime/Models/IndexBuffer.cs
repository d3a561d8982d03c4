using RasNative.Runtime.Backends;
using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models;

/// <summary>
/// A per-step id list (active patches, their positional rows) in one backend buffer that grows only when a
/// larger grid arrives, so RAS steps allocate nothing.
/// </summary>
internal sealed class IndexBuffer(IBackend backend)
{
    IndexList? buffer;

    public IndexList Write(ReadOnlySpan<int> ids)
    {
        if (buffer == null || buffer.Capacity < ids.Length) buffer = backend.AllocateIndices(ids.Length);
        return backend.WriteIndices(ids, buffer);
    }
}
