namespace RasNative.Runtime.Models.TextEncoders.T5;

/// <summary>
/// transformers' T5Attention._relative_position_bucket for the bidirectional encoder, computed as it does in float32:
/// the sign of j − i picks one half of the buckets; distances below a quarter of the buckets are exact, larger ones
/// share log-spaced buckets up to max_distance, beyond which all share the last.
/// </summary>
public static class T5RelativePositions
{
    /// <summary>The bucket of relative position <paramref name="relative"/> = key − query.</summary>
    public static int Bucket(int relative, int numBuckets, int maxDistance)
    {
        int half = numBuckets / 2, maxExact = half / 2;
        int bucket = relative > 0 ? half : 0;
        int distance = Math.Abs(relative);
        if (distance < maxExact) return bucket + distance;
        // Every step in float32 as torch evaluates it: log(float(d) / max_exact) / float32(log(max_distance / max_exact)) · (half − max_exact),
        // truncated. At the exact powers (d = 16, 32, 64 for SD3's T5) the float32 rounding decides the bucket.
        float logRatio = MathF.Log(distance / (float)maxExact);
        float scaled = logRatio / (float)Math.Log((double)maxDistance / maxExact) * (half - maxExact);
        return bucket + Math.Min(half - 1, maxExact + (int)scaled);
    }

    /// <summary>Bucket ids of every relative position j − i from −(queries − 1) to keys − 1, the attention's bias index list.</summary>
    public static int[] Buckets(int queries, int keys, int numBuckets, int maxDistance)
    {
        var buckets = new int[queries + keys - 1];
        for (int r = 0; r < buckets.Length; r++) buckets[r] = Bucket(r - (queries - 1), numBuckets, maxDistance);
        return buckets;
    }
}
