using System.Text.RegularExpressions;

namespace RasNative.Cuda.Compilation;

/// <summary>Resource usage of one entry function as ptxas reports it; null where its log had no line for the figure.</summary>
public sealed record KernelResources(string Name, int? Registers, int? SharedBytes, int? StackBytes, int? SpillStoreBytes, int? SpillLoadBytes);

/// <summary>
/// Parses the "ptxas info" lines NVRTC appends to its log under --ptxas-options=-v (NVRTC 11.8+ prints them
/// for CUBIN targets), e.g. "Compiling entry function 'silu' for 'sm_90'", "0 bytes stack frame, 0 bytes
/// spill stores, 0 bytes spill loads", "Used 21 registers, 132 bytes smem, 376 bytes cmem[0]".
/// </summary>
public static partial class PtxasLog
{
    public static IReadOnlyList<KernelResources> Parse(string log)
    {
        var result = new List<KernelResources>();
        KernelResources? current = null;
        string? properties = null; // whose "Function properties" the next stack line describes (may be a device function)
        foreach (var line in log.Split('\n'))
        {
            if (EntryRegex().Match(line) is { Success: true } entry)
            {
                if (current != null) result.Add(current);
                current = new KernelResources(entry.Groups[1].Value, null, null, null, null, null);
            }
            else if (PropertiesRegex().Match(line) is { Success: true } props)
            {
                properties = props.Groups[1].Value;
            }
            else if (current != null && properties == current.Name && StackRegex().Match(line) is { Success: true } stack)
            {
                current = current with
                {
                    StackBytes = int.Parse(stack.Groups[1].Value),
                    SpillStoreBytes = int.Parse(stack.Groups[2].Value),
                    SpillLoadBytes = int.Parse(stack.Groups[3].Value),
                };
            }
            else if (current != null && UsedRegex().Match(line) is { Success: true } used)
            {
                var smem = SmemRegex().Match(line);
                current = current with
                {
                    Registers = int.Parse(used.Groups[1].Value),
                    SharedBytes = smem.Success ? int.Parse(smem.Groups[1].Value) : 0,
                };
            }
        }
        if (current != null) result.Add(current);
        return result;
    }

    [GeneratedRegex(@"Compiling entry function '([^']+)'")]
    private static partial Regex EntryRegex();

    [GeneratedRegex(@"Function properties for (\S+)")]
    private static partial Regex PropertiesRegex();

    [GeneratedRegex(@"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads")]
    private static partial Regex StackRegex();

    [GeneratedRegex(@"Used (\d+) registers")]
    private static partial Regex UsedRegex();

    [GeneratedRegex(@"(\d+) bytes smem")]
    private static partial Regex SmemRegex();
}
