using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.Sd3;
using RasNative.Runtime.Tensors;
using RasNative.Sampler.Ras;

namespace RasNative.Sampler.Generation;

/// <summary>
/// StableDiffusion3Pipeline's denoising loop with RAS (spec §16): FlowMatch Euler, classifier-free guidance
/// with the batch [uncond ; cond], and on RAS steps a transformer call over the active patches only, the
/// skipped patches taking their cached velocity. The transformer runs on the backend; per step the guided
/// velocity (C·H·W floats) comes to the host, where the fill, the Euler update and the RAS selection run in
/// float32 exactly as the official code orders them.
/// </summary>
public sealed class Sd3Sampler(Sd3Transformer model, IBackend backend)
{
    readonly RunBuffers buffers = new(backend);

    public float[] Run(float[] initialLatents, int[] latentShape, TextConditioning text, GenerationSettings settings,
        Action<StepReport>? onStep = null)
    {
        int channels = latentShape[1], height = latentShape[2], width = latentShape[3];
        int batch = settings.UsesGuidance ? 2 : 1, pixels = channels * height * width;
        var inputs = new Sd3Inputs(
            buffers.Get("hidden_states", batch, channels, height, width),
            Batched("encoder_hidden_states", text, settings, t => t.PromptEmbeds, t => t.NegativePromptEmbeds!, [text.TextLength, text.TextWidth]),
            Batched("pooled_projections", text, settings, t => t.PooledPromptEmbeds, t => t.NegativePooledPromptEmbeds!, [text.PooledWidth]),
            new float[batch]);
        var modelOutput = buffers.Get("model_output", batch, model.Config.OutChannels, height, width);
        var guided = buffers.Get("guided", 1, channels, height, width);
        model.ResetCache();

        return RasEulerLoop.Run(initialLatents, channels, new PatchGrid(height, width, model.Config.PatchSize), settings, (request, velocity) =>
        {
            Array.Fill(inputs.Timestep, request.Timestep);
            for (int b = 0; b < batch; b++) backend.Write(request.Latents, inputs.HiddenStates.Slice((long)b * pixels, 1, channels, height, width));
            if (request.ActivePatches != null) backend.Fill(modelOutput, 0f);   // skipped patches come out as zeros, as in the official forward
            model.Forward(inputs, modelOutput, request.ActivePatches, request.CacheMode);

            if (settings.UsesGuidance)
                backend.Guidance(modelOutput.Slice(0, 1, channels, height, width), modelOutput.Slice(pixels, 1, channels, height, width),
                    settings.GuidanceScale, guided);
            else
                backend.Copy(modelOutput, guided);
            backend.Download(guided, velocity);
        }, onStep);
    }

    /// <summary>The model batch of one conditioning tensor: [negative ; prompt] under guidance, else [prompt].</summary>
    Tensor Batched(string name, TextConditioning text, GenerationSettings settings, Func<TextConditioning, float[]> prompt,
        Func<TextConditioning, float[]> negative, int[] rowShape)
    {
        if (!settings.UsesGuidance) return buffers.Write(name, prompt(text), [1, .. rowShape]);
        return buffers.Write(name, [.. negative(text), .. prompt(text)], [2, .. rowShape]);
    }
}
