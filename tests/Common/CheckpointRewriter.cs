using RasNative.Loaders;

namespace RasNative.Tests;

/// <summary>Makes altered copies of fixture checkpoints for bad-input tests.</summary>
public static class CheckpointRewriter
{
    /// <summary>Writes <paramref name="source"/>'s tensors (as F32), renamed and filtered by <paramref name="rename"/> (null drops the tensor), plus <paramref name="extra"/>.</summary>
    public static void Rewrite(string source, string target, Func<string, string?> rename, IEnumerable<TensorToWrite>? extra = null)
    {
        using var file = SafetensorsFile.Open(source);
        var tensors = file.Tensors
            .Select(t => (Info: t, Name: rename(t.Name)))
            .Where(t => t.Name != null)
            .Select(t => TensorToWrite.F32(t.Name!, file.ReadFloat32(t.Info.Name), t.Info.Shape))
            .Concat(extra ?? []);
        SafetensorsWriter.Write(target, tensors);
    }
}
