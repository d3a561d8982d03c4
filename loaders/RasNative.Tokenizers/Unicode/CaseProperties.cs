namespace RasNative.Tokenizers.Unicode;

/// <summary>Lookups into <see cref="CaseContextTables"/>.</summary>
static class CaseProperties
{
    public static bool IsCased(int codePoint) => InRuns(CaseContextTables.CasedRuns, codePoint);

    public static bool IsCaseIgnorable(int codePoint) => InRuns(CaseContextTables.CaseIgnorableRuns, codePoint);

    /// <summary>Binary search over sorted (first, last) pairs.</summary>
    static bool InRuns(ReadOnlySpan<int> runs, int codePoint)
    {
        int lo = 0, hi = runs.Length / 2 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (codePoint < runs[2 * mid]) hi = mid - 1;
            else if (codePoint > runs[2 * mid + 1]) lo = mid + 1;
            else return true;
        }
        return false;
    }
}
