namespace RasNative.Sampler.Random;

/// <summary>
/// PyTorch's CPU generator (<c>at::CPUGeneratorImpl</c>): a 32-bit mt19937 seeded the way
/// <c>torch.Generator("cpu").manual_seed(seed)</c> seeds it, with torch's conversions to uniform floats and its
/// one-value cache for the scalar Box–Muller sampler, so a seed reproduces torch's streams bit for bit.
/// </summary>
public sealed class TorchGenerator
{
    const int StateSize = 624;
    const int ShiftSize = 397;
    const uint MatrixA = 0x9908b0dfu;
    const uint UpperMask = 0x80000000u;
    const uint LowerMask = 0x7fffffffu;

    readonly uint[] state = new uint[StateSize];
    int next;

    public TorchGenerator(ulong seed) => ManualSeed(seed);

    /// <summary>The seed last given, as torch reports it from <c>initial_seed()</c>.</summary>
    public ulong Seed { get; private set; }

    /// <summary>
    /// The second Box–Muller value of the scalar (double) normal sampler, kept for its next call as torch keeps it in
    /// the generator; only tensors of fewer than 16 elements use it.
    /// </summary>
    internal double? CachedNormal { get; set; }

    /// <summary>torch keeps the whole 64-bit seed but initialises mt19937 from its low 32 bits only.</summary>
    public void ManualSeed(ulong seed)
    {
        Seed = seed;
        state[0] = (uint)seed;
        for (var j = 1; j < StateSize; j++)
            state[j] = 1812433253u * (state[j - 1] ^ (state[j - 1] >> 30)) + (uint)j;
        next = StateSize;
        CachedNormal = null;
    }

    /// <summary>One tempered mt19937 output (<c>random()</c>).</summary>
    public uint NextUInt32()
    {
        if (next == StateSize) Twist();
        var y = state[next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary><c>random64()</c>: two draws, the first one becoming the high word.</summary>
    public ulong NextUInt64()
    {
        ulong high = NextUInt32();
        return (high << 32) | NextUInt32();
    }

    /// <summary><c>uniform_real_distribution&lt;float&gt;(0, 1)</c>: the low 24 bits of one draw scaled by 2⁻²⁴.</summary>
    public float NextFloat() => (NextUInt32() & 0xFFFFFFu) * (1f / (1 << 24));

    /// <summary><c>uniform_real_distribution&lt;double&gt;(0, 1)</c>: the low 53 bits of <see cref="NextUInt64"/> scaled by 2⁻⁵³.</summary>
    public double NextDouble() => (NextUInt64() & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));

    // Regenerates all 624 words at once; indexing modulo the state size lets the last 397 words read the
    // already regenerated ones, exactly as the reference three-loop form does.
    void Twist()
    {
        for (var k = 0; k < StateSize; k++)
        {
            var y = (state[k] & UpperMask) | (state[(k + 1) % StateSize] & LowerMask);
            state[k] = state[(k + ShiftSize) % StateSize] ^ (y >> 1) ^ ((y & 1u) != 0 ? MatrixA : 0u);
        }
        next = 0;
    }
}
