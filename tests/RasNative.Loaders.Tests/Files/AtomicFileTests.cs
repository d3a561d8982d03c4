using System.Diagnostics;
using RasNative.Loaders;
using RasNative.Loaders.Files;
using Xunit;

namespace RasNative.Loaders.Tests.Files;

public class AtomicFileTests
{
    internal static string NewFolder() => Directory.CreateTempSubdirectory("rasnative-atomic-").FullName;

    // Hidden entries included: the temp files these tests look for are dot-files.
    internal static string[] Entries(string folder) => Directory.GetFileSystemEntries(folder, "*", new EnumerationOptions { AttributesToSkip = 0 });

    [Fact]
    public void IdentityTellsFilesFoldersAndFifosApartAndSeesThroughLinks()
    {
        var folder = NewFolder();
        try
        {
            var file = Path.Combine(folder, "a");
            File.WriteAllText(file, "x");
            var link = Path.Combine(folder, "link");
            File.CreateSymbolicLink(link, file);
            var hard = Path.Combine(folder, "hard");
            Process.Start("ln", [file, hard])!.WaitForExit();
            var fifo = Path.Combine(folder, "fifo");
            Process.Start("mkfifo", fifo)!.WaitForExit();

            Assert.Equal(FileKind.Regular, FileIdentity.Of(file).Kind);
            Assert.Equal(FileKind.Directory, FileIdentity.Of(folder).Kind);
            Assert.Equal(FileKind.Other, FileIdentity.Of(fifo).Kind);
            Assert.Equal(FileKind.Missing, FileIdentity.Of(Path.Combine(folder, "none")).Kind);
            Assert.True(FileIdentity.Of(link).SameFileAs(FileIdentity.Of(file)));
            Assert.True(FileIdentity.Of(hard).SameFileAs(FileIdentity.Of(file)));
            Assert.True(FileIdentity.Of(Path.Combine(folder, "..", Path.GetFileName(folder), "a")).SameFileAs(FileIdentity.Of(file)));
            Assert.False(FileIdentity.Of(fifo).SameFileAs(FileIdentity.Of(file)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void WriteRefusesToReplaceAFifoOrAFolderAndLeavesNoTempFile()
    {
        var folder = NewFolder();
        try
        {
            var fifo = Path.Combine(folder, "fifo");
            Process.Start("mkfifo", fifo)!.WaitForExit();
            Assert.Throws<OutputPathException>(() => AtomicFile.Write(fifo, s => s.WriteByte(1)));
            Directory.CreateDirectory(Path.Combine(folder, "dir"));
            Assert.Throws<OutputPathException>(() => AtomicFile.Write(Path.Combine(folder, "dir"), s => s.WriteByte(1)));
            Assert.Throws<OutputPathException>(() => AtomicFile.Write(Path.Combine(folder, "missing", "x"), s => s.WriteByte(1)));
            Assert.Equal(FileKind.Other, FileIdentity.Of(fifo).Kind);
            Assert.Equal(["dir", "fifo"], Entries(folder).Select(Path.GetFileName).Order());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFileAndNoTempFile()
    {
        var folder = NewFolder();
        try
        {
            var path = Path.Combine(folder, "out.bin");
            File.WriteAllText(path, "old");
            Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
            {
                s.WriteByte(1);
                throw new InvalidOperationException("boom");
            }));
            Assert.Equal("old", File.ReadAllText(path));
            Assert.Single(Entries(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TheStreamWriterProducesAFileTheReaderAcceptsAndCleansItsScratch()
    {
        var folder = NewFolder();
        try
        {
            var path = Path.Combine(folder, "trace.safetensors");
            using (var writer = new SafetensorsStreamWriter(path))
            {
                writer.Add("z_first", [1f, 2f, 3f], 3);
                writer.Add("a_second", [7L, 8L], 2);
                Assert.Throws<ArgumentException>(() => writer.Add("z_first", [1f], 1));
                Assert.Throws<ArgumentException>(() => writer.Add("bad", [1f, 2f], 3));
                AtomicFile.Write(path, stream => writer.WriteTo(stream, new Dictionary<string, string> { ["k"] = "v" }));
            }
            Assert.Single(Entries(folder));
            using var file = SafetensorsFile.Open(path);
            Assert.Equal([1f, 2f, 3f], file.ReadFloat32("z_first"));
            Assert.Equal([7L, 8L], file.ReadInt64("a_second"));
            Assert.Equal("v", file.Metadata["k"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
