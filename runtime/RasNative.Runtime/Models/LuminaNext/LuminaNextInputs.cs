using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.LuminaNext;

/// <summary>
/// One transformer call, in diffusers' argument names: latent [B, C, H, W], timestep [B] in Lumina's convention
/// (0 = noise, 1 = clean; the pipeline passes 1 − t/1000), encoder_hidden_states [B, L, cross_attention_dim] and
/// encoder_mask [B, L] as floats (1 = token, 0 = padding). The RoPE table (diffusers' image_rotary_emb) is built by
/// the model from <paramref name="Rope"/>; <paramref name="BaseSequenceLength"/> is the cross_attention_kwargs entry
/// that turns on proportional attention (null: plain 1/√head_dim).
/// </summary>
public sealed record LuminaNextInputs(
    Tensor HiddenStates, float[] Timestep, Tensor EncoderHiddenStates, Tensor EncoderMask,
    LuminaRopeScaling Rope, int? BaseSequenceLength);
