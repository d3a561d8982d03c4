using RasNative.Loaders;
using RasNative.Runtime.Cpu;
using Xunit;

namespace RasNative.Runtime.Tests.Ops;

/// <summary>The CPU Embedding op against an independent decode of the stored table (FloatFormats on the whole tensor).</summary>
public class EmbeddingTests
{
    [Theory]
    [InlineData(DType.F32, 1f)]
    [InlineData(DType.BF16, 1f)]
    [InlineData(DType.F16, 1f)]
    [InlineData(DType.F8_E4M3, 0.03125f)]
    [InlineData(DType.F8_E5M2, 1f)]
    public void RowsAreTheStoredRowsWidened(DType storage, float scale)
    {
        const int rows = 11, width = 13;
        var random = new Random(5);
        var values = Enumerable.Range(0, rows * width).Select(_ => (float)(random.NextDouble() * 2 - 1) / scale).ToArray();
        var bytes = FloatFormats.Narrow(storage, values);
        var expectedTable = new StoredTensor(storage, bytes, [rows, width], scale).ToFloat32();
        int[] ids = [4, 0, 10, 4, 7];

        using var backend = new CpuBackend();
        var table = backend.UploadEmbedding(new StoredTensor(storage, bytes, [rows, width], scale), rows, width);
        var y = backend.Allocate(1, ids.Length, width);
        backend.Embedding(table, backend.UploadIndices(ids), y);
        var actual = new float[y.Length];
        backend.Download(y, actual);

        Assert.Equal(storage, table.Storage);
        Assert.Equal(backend.EmbeddingBytes(storage, rows, width), table.Bytes);
        Assert.Equal((long)rows * width * storage.ElementSize(), table.Bytes);
        for (int r = 0; r < ids.Length; r++)
            Assert.Equal(expectedTable.AsSpan(ids[r] * width, width).ToArray(), actual.AsSpan(r * width, width).ToArray());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void AnIdOutsideTheTableIsRejected(int id)
    {
        using var backend = new CpuBackend();
        var table = backend.UploadEmbedding(StoredTensor.F32(new float[6], 3, 2), 3, 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => backend.Embedding(table, backend.UploadIndices([0, id]), backend.Allocate(2, 2)));
        Assert.Contains($"token id {id}", error.Message);
    }

    [Fact]
    public void OutputRowsMustMatchTheIds()
    {
        using var backend = new CpuBackend();
        var table = backend.UploadEmbedding(StoredTensor.F32(new float[6], 3, 2), 3, 2);
        Assert.Throws<ArgumentException>(() => backend.Embedding(table, backend.UploadIndices([0, 1]), backend.Allocate(3, 2)));
        Assert.Throws<ArgumentException>(() => backend.UploadEmbedding(StoredTensor.F32(new float[6], 3, 2), 2, 2));
    }
}
