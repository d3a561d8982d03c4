using System.Runtime.InteropServices;

namespace RasNative.Loaders.Files;

/// <summary>What a path names on disk: .NET reports character devices and FIFOs as ordinary files.</summary>
public enum FileKind { Missing, Regular, Directory, Other }

/// <summary>
/// The kind of a path (symbolic links followed) and the (device, inode) pair that identifies the file behind it,
/// so two paths naming the same file — through links, "..", or a hard link — compare equal. Read with Linux's
/// statx, whose layout is the same on every architecture.
/// </summary>
public readonly record struct FileIdentity(FileKind Kind, ulong Device, ulong Inode)
{
    const int AtCurrentDirectory = -100;
    const uint MaskTypeModeInode = 0x1 | 0x2 | 0x100;   // STATX_TYPE | STATX_MODE | STATX_INO
    const int ModeOffset = 28, InodeOffset = 32, DeviceMajorOffset = 136, DeviceMinorOffset = 140;
    const int TypeMask = 0xF000, RegularType = 0x8000, DirectoryType = 0x4000;

    public static FileIdentity Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return Portable(path);
        Span<byte> buffer = stackalloc byte[256];
        if (NativeStat.statx(AtCurrentDirectory, path, 0, MaskTypeModeInode, ref MemoryMarshal.GetReference(buffer)) != 0)
            return new FileIdentity(FileKind.Missing, 0, 0);
        int type = MemoryMarshal.Read<ushort>(buffer[ModeOffset..]) & TypeMask;
        var kind = type == RegularType ? FileKind.Regular : type == DirectoryType ? FileKind.Directory : FileKind.Other;
        ulong device = ((ulong)MemoryMarshal.Read<uint>(buffer[DeviceMajorOffset..]) << 32) | MemoryMarshal.Read<uint>(buffer[DeviceMinorOffset..]);
        return new FileIdentity(kind, device, MemoryMarshal.Read<ulong>(buffer[InodeOffset..]));
    }

    public bool Exists => Kind != FileKind.Missing;

    /// <summary>Both name the same existing file.</summary>
    public bool SameFileAs(FileIdentity other) => Exists && other.Exists && Device == other.Device && Inode == other.Inode;

    // Elsewhere only regular files and folders are told apart, by path (no device/inode).
    static FileIdentity Portable(string path) =>
        File.Exists(path) ? new FileIdentity(FileKind.Regular, 0, (ulong)Path.GetFullPath(path).GetHashCode())
        : Directory.Exists(path) ? new FileIdentity(FileKind.Directory, 0, 0)
        : new FileIdentity(FileKind.Missing, 0, 0);
}

static partial class NativeStat
{
    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statx(int directory, string path, int flags, uint mask, ref byte buffer);
}
