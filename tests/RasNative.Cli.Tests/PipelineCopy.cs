using RasNative.Tests;

namespace RasNative.Cli.Tests;

/// <summary>fixtures/sd3-pipeline's folder rebuilt from symbolic links under a temp folder, minus one file or subfolder.</summary>
internal static class PipelineCopy
{
    public static string Without(TempFolder temp, string leftOut)
    {
        string root = Path.Combine(temp.Path, "pipeline");
        foreach (var file in Directory.EnumerateFiles(PipelineCase.Pipeline, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(PipelineCase.Pipeline, file);
            if (relative == leftOut || relative.StartsWith(leftOut + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
            if (relative == "model_index.json") continue;   // it would name the left-out component
            string target = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.CreateSymbolicLink(target, file);
        }
        return root;
    }
}
