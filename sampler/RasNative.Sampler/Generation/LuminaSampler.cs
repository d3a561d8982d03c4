using RasNative.Runtime.Backends;
using RasNative.Runtime.Models.LuminaNext;
using RasNative.Runtime.Tensors;
using RasNative.Sampler.Ras;

namespace RasNative.Sampler.Generation;

/// <summary>
/// LuminaText2ImgPipeline's denoising loop with RAS (ras.md §11 and its appendix): FlowMatch Euler on the model
/// timestep 1 − t/1000, the batch [cond ; uncond], the learn-sigma half dropped, guidance on the first 3 channels
/// only (the rest from the cond row), the prediction negated, and a RoPE table whose scaling may change per step.
/// On RAS steps the transformer runs over the active patches only and the skipped patches take their cached
/// velocity. Per step the negated prediction (C·H·W floats) comes to the host, where the fill, the Euler update and
/// the RAS selection run in float32 exactly as the official code orders them.
/// </summary>
public sealed class LuminaSampler(LuminaNextTransformer model, IBackend backend)
{
    readonly RunBuffers buffers = new(backend);

    /// <summary>The pipeline's VAE downsampling: image pixels per latent pixel (scaling_factor is in pixels).</summary>
    const int VaeScaleFactor = 8;

    /// <summary>LuminaText2ImgPipeline guides only these leading channels ("for exact reproducibility").</summary>
    const int GuidedChannels = 3;

    const float NumTrainTimesteps = 1000f;

    public float[] Run(float[] initialLatents, int[] latentShape, LuminaConditioning text, GenerationSettings settings,
        LuminaPipelineOptions? options = null, Action<StepReport>? onStep = null)
    {
        options ??= LuminaPipelineOptions.Default;
        int channels = latentShape[1], height = latentShape[2], width = latentShape[3];
        int batch = settings.UsesGuidance ? 2 : 1, pixels = channels * height * width, plane = height * width;
        if (settings.UsesGuidance && !text.HasNegative)
            throw new ArgumentException("guidance above 1 needs the negative prompt embeddings and mask", nameof(text));
        double scalingFactor = ScalingFactor(height, width);
        var inputs = new LuminaNextInputs(
            buffers.Get("hidden_states", batch, channels, height, width),
            new float[batch],
            Batched("encoder_hidden_states", text.PromptEmbeds, text.NegativePromptEmbeds, batch, [text.TextLength, text.TextWidth]),
            Batched("encoder_mask", text.PromptAttentionMask, text.NegativePromptAttentionMask, batch, [text.TextLength]),
            LuminaRopeScaling.None,
            options.ProportionalAttention ? model.DefaultBaseSequenceLength : null);
        var modelOutput = buffers.Get("model_output", batch, model.Config.OutChannels, height, width);
        var prediction = buffers.Get("prediction", 1, channels, height, width);
        model.ResetCache();

        return RasEulerLoop.Run(initialLatents, channels, new PatchGrid(height, width, model.Config.PatchSize), settings, (request, velocity) =>
        {
            float modelTimestep = 1f - request.Timestep / NumTrainTimesteps;   // Lumina: 0 = noise, 1 = clean
            Array.Fill(inputs.Timestep, modelTimestep);
            var stepInputs = inputs with { Rope = LuminaRopeScaling.ForStep(modelTimestep, options.ScalingWatershed, scalingFactor) };
            for (int b = 0; b < batch; b++) backend.Write(request.Latents, inputs.HiddenStates.Slice((long)b * pixels, 1, channels, height, width));
            if (request.ActivePatches != null) backend.Fill(modelOutput, 0f);   // skipped patches come out as zeros, as in the official forward
            model.Forward(stepInputs, modelOutput, request.ActivePatches, request.CacheMode);

            Predict(modelOutput, prediction, settings, channels, plane);
            backend.Download(prediction, velocity);
            for (int i = 0; i < velocity.Length; i++) velocity[i] = -velocity[i];   // the pipeline negates before scheduler.step
        }, onStep);
    }

    /// <summary>
    /// prediction [1, C, H, W] from the model output [B, C_out, H, W] (cond row 0): channels 0..2 guided as
    /// u + g·(c − u), channels ≥ 3 the cond row's (the pipeline's cat/chunk does this), learn-sigma channels dropped.
    /// </summary>
    void Predict(Tensor modelOutput, Tensor prediction, GenerationSettings settings, int channels, int plane)
    {
        int rowLength = modelOutput.Dim(1) * plane;
        if (!settings.UsesGuidance)
        {
            backend.Copy(modelOutput.Slice(0, channels * plane), prediction);
            return;
        }
        int guided = Math.Min(GuidedChannels, channels) * plane, rest = channels * plane - guided;
        backend.Guidance(modelOutput.Slice(rowLength, guided), modelOutput.Slice(0, guided), settings.GuidanceScale, prediction.Slice(0, guided));
        if (rest > 0) backend.Copy(modelOutput.Slice(guided, rest), prediction.Slice(guided, rest));
    }

    /// <summary>The pipeline's RoPE scaling_factor: √(width·height / default_image_size²) in pixels, default_image_size = sample_size·8.</summary>
    double ScalingFactor(int latentHeight, int latentWidth)
    {
        double defaultImageSize = model.Config.SampleSize * VaeScaleFactor;
        return Math.Sqrt((double)(latentWidth * VaeScaleFactor) * (latentHeight * VaeScaleFactor) / (defaultImageSize * defaultImageSize));
    }

    /// <summary>The model batch of one conditioning tensor: [prompt ; negative] under guidance, else [prompt].</summary>
    Tensor Batched(string name, float[] prompt, float[]? negative, int batch, int[] rowShape) =>
        batch == 1 ? buffers.Write(name, prompt, [1, .. rowShape]) : buffers.Write(name, [.. prompt, .. negative!], [2, .. rowShape]);
}
