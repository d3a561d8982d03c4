#!/usr/bin/env python3
"""Roofline tables of docs/perf-model.md: SD3-medium 1024² with guidance on an H100 SXM.

Batch 2, 4096 image + 333 text tokens, width 1536 (24 heads × 64), 24 blocks (the last context_pre_only), bf16.
Per op: FLOPs, the bytes that must cross HBM once (inputs and weights read once, outputs written once) and
max(FLOPs / peak, bytes / bandwidth). Run: python3 tools/perf-model/sd3_roofline.py
"""
PEAK, BW, E = 989e12, 3.35e12, 2           # dense bf16 FLOP/s, HBM bytes/s, bytes per element
B, N, L, D, H, HD, LAYERS = 2, 4096, 333, 1536, 24, 64, 24
C, P = 16, 2                               # latent channels, patch size
FULL = LAYERS - 1                          # blocks with a context stream after attention


def linear(name, rows, i, o, count=1):
    """One nn.Linear with bias, `count` times: y [rows, o] = x [rows, i]·Wᵀ + b."""
    return name, 2 * rows * i * o * count, (rows * i + rows * o + i * o + o) * E * count, count


def moved(name, bytes_, count=1):
    """A memory-bound op moving `bytes_` per call."""
    return name, 0, bytes_ * count, count


def step(ratio):
    n = int(N * ratio)                     # image tokens computed (all on a dense step)
    rows, text = B * n, B * L
    ops = [
        linear("norm1.linear (adaLN, 6D; one GEMM of 2 parts with norm1_context's but in the last block)", B, D, 6 * D, LAYERS),
        ("norm1_context.linear (adaLN, 6D / 2D last)", 2 * B * D * D * (6 * FULL + 2), D * D * (6 * FULL + 2) * E, LAYERS),
        linear("to_q/k/v (one GEMM of 3 parts)", rows, D, 3 * D, LAYERS),
        linear("add_q/k/v_proj (one GEMM of 3 parts)", text, D, 3 * D, LAYERS),
        linear("attn.to_out.0", rows, D, D, LAYERS),
        linear("attn.to_add_out", text, D, D, FULL),
        linear("ff.net.0.proj (+GELU-tanh epilogue)", rows, D, 4 * D, LAYERS),
        linear("ff.net.2", rows, 4 * D, D, LAYERS),
        linear("ff_context.net.0.proj (+GELU)", text, D, 4 * D, FULL),
        linear("ff_context.net.2", text, 4 * D, D, FULL),
        moved("LayerNormModulate image (×2/block)", 2 * rows * D * E, 2 * LAYERS),
        moved("LayerNormModulate text (×2/block, ×1 last)", 2 * text * D * E, 2 * FULL + 1),
        moved("GatedResidual image (×2/block)", 3 * rows * D * E, 2 * LAYERS),
        moved("GatedResidual text (×2/block)", 3 * text * D * E, 2 * FULL),
    ]
    if ratio < 1:
        ops.append(moved("K/V cache row scatter (RAS: keys and values in one launch per block)", 4 * rows * D * E, LAYERS))
    queries, keys = n + L, N + L
    ops.append(("attention (flash, ideal: Q,K,V,O once; see the attention section)", 4 * B * H * queries * keys * HD * LAYERS,
                (2 * B * queries * D + 2 * B * keys * D) * E * LAYERS, LAYERS))
    # pos_embed.proj (patches), context_embedder (4096 → D), timestep (256 → D → D) and pooled text (2048 → D → D) MLPs.
    embed_flops = 2 * rows * C * P * P * D + 2 * text * 4096 * D + 2 * B * D * (256 + D + 2048 + D)
    embed_bytes = (rows * (C * P * P + D) + text * (4096 + D) + D * (C * P * P + 4096 + 256 + D + 2048 + D)) * E
    ops.append(("pos_embed.proj + context_embedder + time/text MLPs", embed_flops, embed_bytes, 1))
    head_flops = 2 * rows * D * P * P * C + 2 * B * D * 2 * D
    head_bytes = (rows * (D + P * P * C) + D * P * P * C + D * 2 * D) * E
    ops.append(("norm_out.linear + proj_out", head_flops, head_bytes, 1))
    ops.append(moved("guidance + velocity download (1 MiB)", 3 * C * 128 * 128 * E))
    return ops


def table(title, ratio):
    print(f"\n### {title}")
    print("| op | count | GFLOP | MB moved | compute µs | memory µs | roofline µs |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    flops = moved_bytes = total = 0
    for name, f, b, count in step(ratio):
        compute, memory = f / PEAK * 1e6, b / BW * 1e6
        flops, moved_bytes, total = flops + f, moved_bytes + b, total + max(compute, memory)
        print(f"| {name} | {count} | {f / 1e9:.1f} | {b / 1e6:.1f} | {compute:.1f} | {memory:.1f} | {max(compute, memory):.1f} |")
    print(f"| **total** | | **{flops / 1e12:.2f} TFLOP** | **{moved_bytes / 1e9:.2f} GB** | | | **{total / 1e3:.2f} ms** |")


def removed(ratio):
    """What the old path moved in addition: a bias pass per Linear (read + write its output) and q/k/v reading x thrice."""
    n = int(N * ratio)
    rows, text = B * n, B * L
    outputs = 9 * D * rows * LAYERS + 9 * D * text * FULL + 3 * D * text + B * D * (6 * LAYERS + 6 * FULL + 2)
    bias, reads = 2 * outputs * E, 2 * (rows + text) * D * E * LAYERS
    print(f"| {ratio} | {bias / 1e9:.2f} GB | {reads / 1e9:.2f} GB | {(bias + reads) / BW * 1e3:.2f} ms |")


if __name__ == "__main__":
    table("dense step", 1)
    table("RAS step, ratio 0.5", 0.5)
    table("RAS step, ratio 0.25", 0.25)
    print("\n| ratio | bias / activation passes | extra q/k/v input reads | roofline time |")
    print("|---|---:|---:|---:|")
    for r in (1, 0.5, 0.25):
        removed(r)
