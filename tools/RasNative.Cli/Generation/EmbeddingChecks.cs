using RasNative.Cli.Infrastructure;

namespace RasNative.Cli.Generation;

/// <summary>Checks every model family applies to the embeddings file before any weights load.</summary>
public static class EmbeddingChecks
{
    /// <summary>Guidance above 1 needs the negative conditioning (diffusers' do_classifier_free_guidance).</summary>
    public static void RequireNegative(InputTensors file, float guidanceScale, params string[] names)
    {
        foreach (var name in names)
            if (!file.Contains(name))
                throw new UsageException($"--guidance {guidanceScale} needs {string.Join(" and ", names)} in the embeddings file (missing '{name}')");
    }

    public static void RequireSameShape(InputTensors file, string name, string like, int[] shape)
    {
        if (!file.Shape(name, shape.Length).SequenceEqual(shape))
            throw new UsageException($"{name}: shape must equal {like}'s [{string.Join(", ", shape)}]");
    }
}
