using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Loaders.ModelSources;

namespace RasNative.Cli.Generation;

/// <summary>
/// What one stage of a run (a text encoder, the transformer) holds at its peak, estimated before anything loads: the
/// weights from the checkpoint header, the activations from the model's own arena planner. Stages run one after the
/// other and each releases its memory, so a run fits when its largest stage does.
/// </summary>
public sealed record StageMemory(string Stage, long WeightBytes, long ActivationBytes)
{
    public long Total => WeightBytes + ActivationBytes;

    /// <summary>
    /// The component's weights on a backend computing in <paramref name="computeBytes"/>-byte values: matrices (Linear
    /// weights, embedding tables) in their stored width where that is narrower (F64 is narrowed to F32), vectors (norms,
    /// biases) in the compute dtype. Matrix-shaped parameters kept in the compute dtype (position tables) are counted at
    /// their stored width: within a few percent of what loading allocates.
    /// </summary>
    public static long EstimateWeights(ModelComponent component, int computeBytes, string? skip = null)
    {
        using var weights = component.OpenWeights();
        return weights.Tensors.Where(t => t.Name != skip)
            .Sum(t => t.ElementCount * (t.Shape.Length >= 2 ? Math.Min(StoredBytes(t.DType), computeBytes) : computeBytes));
    }

    static int StoredBytes(DType dtype) => dtype == DType.F64 ? 4 : dtype.ElementSize();

    /// <summary>Refuses the run (exit 2) with the stage's figure when it exceeds <paramref name="available"/>.</summary>
    public void Require(long available, string where) =>
        MemoryBudget.Require(Stage, [("weights", WeightBytes), ("activations", ActivationBytes)], available, where);
}
