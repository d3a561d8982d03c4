namespace RasNative.Sampler.Random;

/// <summary>
/// <c>torch.randn(shape, generator=g, dtype=torch.float32)</c> on the CPU, flattened: how diffusers draws initial
/// latents from a seeded CPU generator.
/// </summary>
public static class TorchRandn
{
    /// <summary>torch fills contiguous float tensors of at least this many elements in blocks of this size.</summary>
    const int Block = 16;
    const int HalfBlock = Block / 2;

    /// <summary><c>(float)(2.0f * c10::pi&lt;double&gt;)</c>, the AVX kernel's constant.</summary>
    const float TwoPi = (float)(2.0 * Math.PI);

    /// <summary>Draws <paramref name="count"/> standard normal values, advancing <paramref name="generator"/> as torch does.</summary>
    public static float[] Randn(TorchGenerator generator, long count)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var data = new float[count];
        if (count >= Block)
            FillBlocks(generator, data);
        else
            for (var i = 0; i < data.Length; i++)
                data[i] = (float)NextScalarNormal(generator);
        return data;
    }

    // torch's normal_fill_AVX2: every uniform is drawn first; then each block of 16 turns its first 8 values (u1)
    // and last 8 (u2) into 8 cosine and 8 sine outputs. A ragged tail is handled by drawing 16 fresh uniforms
    // into the last 16 slots and recomputing that (overlapping) block from them.
    static void FillBlocks(TorchGenerator generator, Span<float> data)
    {
        for (var i = 0; i < data.Length; i++)
            data[i] = generator.NextFloat();
        for (var i = 0; i + Block <= data.Length; i += Block)
            BoxMullerBlock(data.Slice(i, Block));
        if (data.Length % Block == 0) return;
        var tail = data[^Block..];
        for (var i = 0; i < Block; i++)
            tail[i] = generator.NextFloat();
        BoxMullerBlock(tail);
    }

    static void BoxMullerBlock(Span<float> block)
    {
        for (var j = 0; j < HalfBlock; j++)
        {
            var radius = MathF.Sqrt(-2f * CephesAvxMath.Log(1f - block[j]));
            var (sin, cos) = CephesAvxMath.SinCos(TwoPi * block[j + HalfBlock]);
            // The kernel ends with fma(n, std = 1, mean = 0); adding +0 reproduces its only effect, −0 → +0.
            block[j] = radius * cos + 0f;
            block[j + HalfBlock] = radius * sin + 0f;
        }
    }

    // torch's scalar path (at::normal_distribution<double>): Box–Muller in double precision, returning the cosine
    // value and keeping the sine value in the generator for the next call.
    // torch then applies x·std + mean with std = 1, mean = 0; adding +0 is its only effect (−0 → +0).
    static double NextScalarNormal(TorchGenerator generator)
    {
        if (generator.CachedNormal is { } cached)
        {
            generator.CachedNormal = null;
            return cached + 0.0;
        }
        var u1 = generator.NextDouble();
        var u2 = generator.NextDouble();
        // 1 − u2 is exact for a 53-bit uniform, so this is the same value torch's log1p(−u2) computes.
        var radius = Math.Sqrt(-2.0 * Math.Log(1.0 - u2));
        var theta = 2.0 * Math.PI * u1;
        generator.CachedNormal = radius * Math.Sin(theta);
        return radius * Math.Cos(theta) + 0.0;
    }
}
