namespace RasNative.Runtime.Cpu;

/// <summary>Splits row-wise work across cores only when there is enough of it to pay for the hand-off.</summary>
internal static class CpuParallel
{
    const long MinParallelElements = 1 << 15;

    public static void ForRows(int rows, int width, Action<int, int> body)
    {
        if (rows < 2 || (long)rows * width < MinParallelElements)
        {
            body(0, rows);
            return;
        }
        int chunks = Math.Min(rows, Environment.ProcessorCount * 4);
        Parallel.For(0, chunks, c => body((int)((long)rows * c / chunks), (int)((long)rows * (c + 1) / chunks)));
    }
}
