using System.IO.MemoryMappedFiles;

namespace RasNative.Loaders;

/// <summary>A read-only memory mapping of a whole file; the only place that touches raw pointers.</summary>
internal sealed unsafe class MappedFile : IDisposable
{
    readonly MemoryMappedFile map;
    readonly MemoryMappedViewAccessor view;
    byte* start;

    MappedFile(MemoryMappedFile map, MemoryMappedViewAccessor view, long length)
    {
        this.map = map;
        this.view = view;
        Length = length;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        start = pointer + view.PointerOffset;
    }

    public long Length { get; }

    /// <summary>Maps <paramref name="path"/>; a file shorter than <paramref name="minimumLength"/> is rejected
    /// before mapping (an empty file cannot be mapped at all).</summary>
    public static MappedFile Open(string path, long minimumLength)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SafetensorsException($"{path}: cannot open file ({MessageText.OneLine(e.Message)})");
        }
        try
        {
            var length = stream.Length;
            if (length < minimumLength)
                throw new SafetensorsException($"{path}: file is {length} bytes, too short for a safetensors header ({minimumLength} bytes needed)");
            var map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            try
            {
                return new MappedFile(map, map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read), length);
            }
            catch
            {
                map.Dispose();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Bytes [offset, offset+length) of the file, valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Slice(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(start == null, this);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, Length);
        return new ReadOnlySpan<byte>(start + offset, length);
    }

    public void Dispose()
    {
        if (start == null) return;
        start = null;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        map.Dispose();
    }
}
