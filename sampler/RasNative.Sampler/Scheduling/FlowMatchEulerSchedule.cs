namespace RasNative.Sampler.Scheduling;

/// <summary>
/// The σ and timestep lists of diffusers' <c>FlowMatchEulerDiscreteScheduler</c> with a static shift after
/// <c>set_timesteps(steps)</c>, reproduced to the float32 bit, including diffusers' quirks: the constructor shifts
/// the training σ grid once in float32, and <c>set_timesteps</c> shifts the endpoints of that grid again in
/// float64, so the last non-zero σ is shifted twice.
/// </summary>
public sealed class FlowMatchEulerSchedule
{
    FlowMatchEulerSchedule(float[] sigmas, float[] timesteps)
    {
        Sigmas = sigmas;
        Timesteps = timesteps;
    }

    /// <summary>steps + 1 values, the last being 0.</summary>
    public IReadOnlyList<float> Sigmas { get; }

    /// <summary>steps values, <c>σ·numTrainTimesteps</c> in float32 (what the model is given as t).</summary>
    public IReadOnlyList<float> Timesteps { get; }

    public int Steps => Timesteps.Count;

    public static FlowMatchEulerSchedule Create(int steps, double shift, int numTrainTimesteps = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(shift, 0.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(numTrainTimesteps, 1);

        // Constructor: the grid 1..T (exact in float32), divided by T and shifted in float32 tensor arithmetic.
        var sigmaMax = (double)ShiftFloat32(numTrainTimesteps, numTrainTimesteps, shift);
        var sigmaMin = (double)ShiftFloat32(1, numTrainTimesteps, shift);

        // set_timesteps: np.linspace between the endpoints' timesteps, back to σ and shifted, all in float64.
        var grid = Linspace(sigmaMax * numTrainTimesteps, sigmaMin * numTrainTimesteps, steps);
        var sigmas = new float[steps + 1];
        var timesteps = new float[steps];
        for (var i = 0; i < steps; i++)
        {
            var s = grid[i] / numTrainTimesteps;
            sigmas[i] = (float)(shift * s / (1 + (shift - 1) * s));
            timesteps[i] = sigmas[i] * numTrainTimesteps;
        }
        return new FlowMatchEulerSchedule(sigmas, timesteps);
    }

    static float ShiftFloat32(int t, int numTrainTimesteps, double shift)
    {
        var s = (float)t / numTrainTimesteps;
        var shiftF = (float)shift;
        return shiftF * s / (1f + (float)(shift - 1) * s);
    }

    // numpy.linspace(start, stop, num): start + i·step with step = (stop − start)/(num − 1), the last value set to
    // stop exactly; a single point is start.
    static double[] Linspace(double start, double stop, int count)
    {
        var values = new double[count];
        var step = count > 1 ? (stop - start) / (count - 1) : 0.0;
        for (var i = 0; i < count; i++)
            values[i] = i * step + start;
        if (count > 1) values[^1] = stop;
        return values;
    }
}
