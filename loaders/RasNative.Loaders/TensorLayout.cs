namespace RasNative.Loaders;

/// <summary>Checks that tensor byte ranges tile the data section exactly: no overlap, no gap, nothing past the end
/// and no trailing bytes (the reference crate's InvalidOffset / MetadataIncompleteBuffer rules).</summary>
internal static class TensorLayout
{
    public static void Validate(string description, IReadOnlyList<TensorInfo> tensors, long dataSectionLength)
    {
        foreach (var tensor in tensors)
        {
            if (tensor.DataEnd > dataSectionLength)
                throw new SafetensorsException($"{description}: tensor {MessageText.Quote(tensor.Name)} data {Range(tensor)} extends past the data section ({dataSectionLength} bytes; file truncated?)");
        }

        var byOffset = tensors.OrderBy(t => t.DataStart).ThenBy(t => t.DataEnd).ToList();
        long covered = 0;
        TensorInfo? previous = null;
        foreach (var tensor in byOffset)
        {
            if (tensor.DataStart < covered)
                throw new SafetensorsException($"{description}: tensor {MessageText.Quote(tensor.Name)} data {Range(tensor)} overlaps tensor {MessageText.Quote(previous!.Name)} data {Range(previous)}");
            if (tensor.DataStart > covered)
                throw new SafetensorsException($"{description}: no tensor covers data bytes [{covered}, {tensor.DataStart}) before tensor {MessageText.Quote(tensor.Name)}");
            covered = tensor.DataEnd;
            previous = tensor;
        }
        if (covered != dataSectionLength)
            throw new SafetensorsException($"{description}: data section is {dataSectionLength} bytes but tensors cover only {covered}");
    }

    static string Range(TensorInfo tensor) => $"[{tensor.DataStart}, {tensor.DataEnd})";
}
