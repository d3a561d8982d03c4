namespace RasNative.Cuda.Tests.Parity;

/// <summary>One op invocation: builds its inputs through the harness and runs the op on the harness's backend.</summary>
public sealed record OpCase(string Name, Action<OpHarness> Run)
{
    public override string ToString() => Name;
}
