using System.Runtime.CompilerServices;

namespace RasNative.Runtime.Cpu.Kernels;

/// <summary>
/// The flash-attention running softmax over a key tile, for queries laid out as vector lanes: scores
/// S[key, query] become probabilities exp(s − m) under the updated running max m, the running sum is rescaled
/// and extended, and the transposed output accumulator Oᵀ[channel, query] is rescaled to the new max.
/// </summary>
internal static unsafe class OnlineSoftmax
{
    /// <param name="scores">keys × stride, overwritten with the unnormalised probabilities.</param>
    /// <param name="lanes">queries processed, a whole number of vectors.</param>
    /// <param name="runningMax">per query; −∞ before the first key.</param>
    /// <param name="runningSum">per query; 0 before the first key.</param>
    /// <param name="output">channels × stride.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update<TS, TV>(float* scores, int keys, int lanes, int stride, float* runningMax, float* runningSum, float* output, int channels)
        where TS : struct, ISimd<TV>
        where TV : unmanaged
    {
        for (int c = 0; c < lanes; c += TS.Width)
        {
            // The native max may drop a NaN score (x86 returns its second operand), which only skews the shift: the
            // NaN score's own exp is NaN, so the running sum, and with it the query's whole output row, turn NaN.
            TV previous = TS.Load(runningMax + c);
            TV max = previous;
            float* row = scores + c;
            for (int j = 0; j < keys; j++, row += stride)
                max = TS.Max(max, TS.Load(row));

            // A query whose keys so far are all masked has max −∞; shifting by the lowest finite float instead
            // makes its probabilities and rescale factor exp(−∞) = 0 rather than NaN.
            TV shift = TS.Max(max, TS.Create(float.MinValue));
            TV rescale = FastMath.Exp<TS, TV>(TS.Subtract(previous, shift));
            TV sum = TS.Zero;
            row = scores + c;
            for (int j = 0; j < keys; j++, row += stride)
            {
                TV probability = FastMath.Exp<TS, TV>(TS.Subtract(TS.Load(row), shift));
                TS.Store(row, probability);
                sum = TS.Add(sum, probability);
            }
            TS.Store(runningSum + c, TS.MultiplyAdd(TS.Load(runningSum + c), rescale, sum));
            TS.Store(runningMax + c, max);
            row = output + c;
            for (int d = 0; d < channels; d++, row += stride)
                TS.Store(row, TS.Multiply(TS.Load(row), rescale));
        }
    }
}
