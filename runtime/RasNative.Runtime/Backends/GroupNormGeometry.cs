using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Backends;

/// <summary>
/// The shapes of one <see cref="IBackend.GroupNorm"/> call, checked the same way by every backend: x and y
/// channels-last [B, …, C] of the same shape, C a multiple of the group count, weight and bias [C].
/// </summary>
public readonly record struct GroupNormGeometry(int Batch, long Positions, int Channels, int Groups)
{
    public int GroupSize => Channels / Groups;

    public static GroupNormGeometry Of(Tensor x, Tensor weight, Tensor bias, int groups, Tensor y)
    {
        if (x.Rank < 2 || !x.Shape.AsSpan().SequenceEqual(y.Shape))
            throw new ArgumentException($"group norm: input {x} and output {y} must have one shape [B, …, C]");
        int batch = x.Dim(0), channels = x.Dim(-1);
        if (groups < 1 || channels % groups != 0)
            throw new ArgumentException($"group norm: {groups} groups do not divide the {channels} channels of {x}");
        if (weight.Length != channels || bias.Length != channels)
            throw new ArgumentException($"group norm: weight {weight} and bias {bias} for {channels} channels");
        return new GroupNormGeometry(batch, batch == 0 || channels == 0 ? 0 : x.Length / batch / channels, channels, groups);
    }
}
