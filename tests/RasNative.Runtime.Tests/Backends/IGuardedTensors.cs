using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Tests.Backends;

/// <summary>
/// Tensors for bad-input tests on some backend, each a view in the middle of its own storage with guard regions on both
/// sides, every element random, so that a test can check afterwards that nothing at all was written.
/// </summary>
public interface IGuardedTensors
{
    Tensor Tensor(params int[] shape);

    /// <summary>Another view of <paramref name="of"/>'s storage, <paramref name="elementOffset"/> elements after its start.</summary>
    static Tensor Alias(Tensor of, long elementOffset, params int[] shape) => of.Slice(elementOffset, shape);
}
