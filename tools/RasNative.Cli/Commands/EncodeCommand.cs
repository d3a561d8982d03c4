using System.CommandLine;
using System.Diagnostics;
using RasNative.Cli.Generation;
using RasNative.Cli.Infrastructure;
using RasNative.Loaders;
using RasNative.Loaders.ModelSources;

namespace RasNative.Cli.Commands;

/// <summary>
/// encode: SD3's encode_prompt from a model's tokenizers and text encoders to the embeddings file generate --embeddings
/// reads — prompt_embeds, pooled_prompt_embeds and the negative twins (from the negative prompts, the empty prompt where
/// none is given, as diffusers does under guidance), plus the ids each encoder received.
/// </summary>
public static class EncodeCommand
{
    public static Command Create()
    {
        var model = new ModelOptions("diffusers pipeline folder, text encoder folder, or single .safetensors file (with --text-encoders for its tokenizers)");
        var text = new TextOptions();
        text.Prompt.Required = true;
        var output = new Option<string>("--output") { Description = "safetensors to write (prompt_embeds, pooled_prompt_embeds, negative_*, *_input_ids)", Required = true };
        var backendOptions = new BackendOptions();
        var command = new Command("encode", "Encode a prompt with SD3's CLIP-L, CLIP-G and T5 text encoders (diffusers' encode_prompt).");
        model.AddTo(command, componentOverrides: true);
        text.AddTo(command);
        command.Options.Add(output);
        backendOptions.AddTo(command);

        command.SetAction(CliRunner.Guard(parsed =>
        {
            var clock = Stopwatch.StartNew();
            var source = model.Open(parsed);
            using var outputs = new OutputSet();
            foreach (var path in model.InputPaths(parsed)) outputs.AddInput(path);
            var mainOutput = outputs.Declare("--output", parsed.GetValue(output)!);

            if (!source.Has(PipelineComponent.TextEncoder) && source.Find(PipelineComponent.Transformer) is { } transformer && ModelLoader.IsLumina(transformer))
                throw GemmaOutOfScope(transformer);
            var encoding = PromptEncoding.Prepare(source, text, parsed, guidance: true, () => JointAttentionDim(source));
            foreach (var warning in encoding.Warnings) Console.Error.WriteLine("warning: " + warning);
            var (available, where) = backendOptions.Available(parsed);
            foreach (var stage in encoding.Stages(backendOptions.ComputeBytes(parsed))) stage.Require(available, where);

            var embeddings = PipelineProgress.Run([.. TextStages.For(encoding)], progress =>
                encoding.Encode(() => backendOptions.Create(parsed), onEncoder: kind => progress.Start(TextStages.Name(kind))));

            var metadata = new Dictionary<string, string>
            {
                ["model"] = parsed.GetValue(model.Model)!,
                ["prompt"] = parsed.GetValue(text.Prompt)!,
                ["backend"] = parsed.GetValue(backendOptions.Backend)!,
                ["dtype"] = backendOptions.DTypeName(parsed),
                ["version"] = ProgramVersion.Text,
            };
            if (parsed.GetValue(text.NegativePrompt) is { } negative) metadata["negative_prompt"] = negative;
            text.Record(parsed, encoding.Ids.HasT5).AddTo(metadata);
            outputs.Write(mainOutput, stream => SafetensorsWriter.Write(stream, [.. PromptTensors.Of(embeddings, encoding.Ids)], metadata));
            outputs.Commit();

            RunSummary.Print("encode", $"{mainOutput.Path} (prompt_embeds [{embeddings.Batch}, {embeddings.Tokens}, {embeddings.Width}], " +
                $"pooled_prompt_embeds [{embeddings.Batch}, {embeddings.PooledWidth}] and negatives)",
                encoding.Ids.HasT5 ? "CLIP-L, CLIP-G and T5" : "CLIP-L and CLIP-G, T5 part zero (--no-t5)", clock);
            return 0;
        }));
        return command;
    }

    /// <summary>The SD3 transformer's joint_attention_dim when the source has one.</summary>
    static int? JointAttentionDim(ModelSource source) =>
        source.Find(PipelineComponent.Transformer) is { } transformer && ModelLoader.IsSd3(transformer) ? ModelLoader.Sd3Config(transformer).JointAttentionDim : null;

    /// <summary>Lumina-Next's prompts go through Gemma-2B, a text encoder RasNative does not implement.</summary>
    public static UsageException GemmaOutOfScope(ModelComponent transformer) =>
        new($"{transformer.ConfigSource}: Lumina-Next encodes prompts with Gemma, whose text encoder is out of scope; give --embeddings with its prompt_embeds and prompt_attention_mask");
}
