using System.Runtime.InteropServices;
using CsCheck;
using RasNative.Tests;
using Xunit;

namespace RasNative.Loaders.Tests;

public class PropertyTests
{
    static readonly Gen<long[]> GenShape = Gen.Int[0, 4].Array[0, 3].Select(dims => dims.Select(d => (long)d).ToArray());

    /// <summary>A tensor of any dtype with arbitrary bytes (any bit pattern, NaNs included).</summary>
    static readonly Gen<TensorToWrite> GenTensor =
        Gen.Select(Gen.String[1, 12], Gen.Enum<DType>(), GenShape).SelectMany((name, dtype, shape) =>
            Gen.Byte.Array[(int)(shape.Aggregate(1L, (a, b) => a * b) * dtype.ElementSize())]
                .Select(bytes => new TensorToWrite(name, dtype, shape, bytes)));

    static readonly Gen<TensorToWrite[]> GenTensors =
        GenTensor.Array[0, 6].Select(tensors => tensors.DistinctBy(t => t.Name).Where(t => t.Name != "__metadata__").ToArray());

    static readonly Gen<Dictionary<string, string>> GenMetadata = Gen.Dictionary(Gen.String[0, 8], Gen.String[0, 16])[0, 3];

    [Fact]
    public void WrittenTensorsReadBackEqual()
    {
        using var folder = new TempFolder();
        var path = folder.File("random.safetensors");
        Gen.Select(GenTensors, GenMetadata).Sample((tensors, metadata) =>
        {
            SafetensorsWriter.Write(path, tensors, metadata);
            using var file = SafetensorsFile.Open(path);
            Assert.Equal(metadata, file.Metadata);
            Assert.Equal(tensors.Select(t => t.Name).Order(StringComparer.Ordinal), file.Tensors.Select(t => t.Name));
            foreach (var tensor in tensors)
            {
                var info = file.Info(tensor.Name);
                Assert.Equal(tensor.DType, info.DType);
                Assert.Equal(tensor.Shape, info.Shape);
                Assert.Equal(tensor.Data.ToArray(), file.RawBytes(info).ToArray());
                var floats = file.ReadFloat32(tensor.Name);
                Assert.Equal(info.ElementCount, floats.Length);
                if (tensor.DType == DType.F32)
                    Assert.Equal(tensor.Data.ToArray(), MemoryMarshal.AsBytes(floats.AsSpan()).ToArray());
                if (tensor.DType == DType.I64)
                    Assert.Equal(tensor.Data.ToArray(), MemoryMarshal.AsBytes(file.ReadInt64(tensor.Name).AsSpan()).ToArray());
            }
        }, iter: 200, threads: 1);
    }

    [Fact]
    public void SingleByteCorruptionsOnlyEverRaiseSafetensorsException()
    {
        using var folder = new TempFolder();
        var validPath = folder.File("valid.safetensors");
        SafetensorsWriter.Write(validPath,
        [
            TensorToWrite.F32("a.weight", [1f, 2f, 3f, 4f], 2, 2),
            TensorToWrite.Convert("b.bias", DType.BF16, [0.5f, -1f], 2),
            TensorToWrite.I64("c.index", [3, 1, 4], 3),
        ], new Dictionary<string, string> { ["format"] = "pt" });
        var valid = File.ReadAllBytes(validPath);
        var corruptPath = folder.File("corrupt.safetensors");

        // Positions cover the length prefix and the header, where a flip changes what the parser sees.
        var headerEnd = 8 + (int)BitConverter.ToUInt64(valid, 0);
        Gen.Select(Gen.Int[0, headerEnd - 1], Gen.Byte).Sample((position, value) =>
        {
            var corrupt = (byte[])valid.Clone();
            corrupt[position] = value;
            File.WriteAllBytes(corruptPath, corrupt);
            try
            {
                using var file = SafetensorsFile.Open(corruptPath);
                foreach (var tensor in file.Tensors)
                {
                    Assert.Equal(tensor.ElementCount, file.ReadFloat32(tensor.Name).Length);
                    try
                    {
                        file.ReadInt64(tensor.Name);
                    }
                    catch (SafetensorsException)
                    {
                        // Non-integral float data is allowed to refuse conversion.
                    }
                }
            }
            catch (SafetensorsException e)
            {
                Assert.Contains("corrupt.safetensors", e.Message);
                Assert.DoesNotContain('\n', e.Message);
            }
        }, iter: 3000, threads: 1);
    }
}
