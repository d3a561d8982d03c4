using RasNative.Loaders;
using RasNative.Sampler.Text;

namespace RasNative.Cli.Generation;

/// <summary>
/// encode_prompt's outputs as safetensors tensors in the pipeline's names (prompt_embeds, pooled_prompt_embeds and their
/// negative_ twins, the file generate --embeddings reads) plus the ids each encoder received, named as in the
/// sd3-pipeline fixture (clip_l_input_ids, clip_g_input_ids, t5_input_ids and negative_ twins).
/// </summary>
public static class PromptTensors
{
    public static IEnumerable<TensorToWrite> Of(Sd3PromptEmbeddings embeddings, Sd3TokenIds ids)
    {
        long[] prompt = [embeddings.Batch, embeddings.Tokens, embeddings.Width], pooled = [embeddings.Batch, embeddings.PooledWidth];
        yield return TensorToWrite.F32("prompt_embeds", embeddings.PromptEmbeds, prompt);
        yield return TensorToWrite.F32("pooled_prompt_embeds", embeddings.PooledPromptEmbeds, pooled);
        if (embeddings.NegativePromptEmbeds is { } negative && embeddings.NegativePooledPromptEmbeds is { } negativePooled)
        {
            yield return TensorToWrite.F32("negative_prompt_embeds", negative, prompt);
            yield return TensorToWrite.F32("negative_pooled_prompt_embeds", negativePooled, pooled);
        }
        foreach (var tensor in Ids(ids.Positive, "")) yield return tensor;
        if (ids.Negative is { } negativeIds)
            foreach (var tensor in Ids(negativeIds, "negative_")) yield return tensor;
    }

    static IEnumerable<TensorToWrite> Ids(SideTokens side, string prefix)
    {
        yield return Rows(prefix + "clip_l_input_ids", side.ClipL);
        yield return Rows(prefix + "clip_g_input_ids", side.ClipG);
        if (side.T5 is { } t5) yield return Rows(prefix + "t5_input_ids", t5);
    }

    static TensorToWrite Rows(string name, int[][] rows) =>
        TensorToWrite.I64(name, [.. rows.SelectMany(r => r).Select(id => (long)id)], rows.Length, rows[0].Length);
}
