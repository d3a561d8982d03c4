namespace RasNative.Benchmarks;

/// <summary>A benchmark parameter that knows its arithmetic, so <see cref="GflopsColumn"/> can report GFLOP/s.</summary>
public interface IFlopCount
{
    double Flops { get; }
}
