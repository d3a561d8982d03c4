using RasNative.Runtime.Tensors;

namespace RasNative.Runtime.Models.Sd3;

/// <summary>
/// One transformer call, in diffusers' argument names: latent [B, C, H, W], text [B, L, joint_attention_dim],
/// pooled [B, pooled_projection_dim], and the timesteps [B] (σ·1000 as the SD3 pipeline passes them).
/// </summary>
public sealed record Sd3Inputs(Tensor HiddenStates, Tensor EncoderHiddenStates, Tensor PooledProjections, float[] Timestep);
