using RasNative.Loaders.Files;
using Xunit;

namespace RasNative.Loaders.Tests.Files;

/// <summary>
/// <see cref="TemporaryFiles.DeleteAll"/> removes every temp file of the process, so this runs alone: in parallel
/// it would delete the temp files of other tests' writes before their rename.
/// </summary>
[Collection(nameof(TemporaryFilesTests))]
public class TemporaryFilesTests
{
    [Fact]
    public void DeleteAllRemovesEveryRegisteredTempFile()
    {
        var folder = AtomicFileTests.NewFolder();
        try
        {
            var temp = TemporaryFiles.Beside(Path.Combine(folder, "out"));
            File.WriteAllText(temp, "partial");
            TemporaryFiles.DeleteAll();
            Assert.Empty(AtomicFileTests.Entries(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

[CollectionDefinition(nameof(TemporaryFilesTests), DisableParallelization = true)]
public sealed class TemporaryFilesCollection;
