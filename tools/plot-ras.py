#!/usr/bin/python3
"""Plot seconds per sampler step against the RAS ratio from `rasnative bench --steps N --ras-ratio R --json` outputs.

Usage: /usr/bin/python3 tools/plot-ras.py OUT.png BENCH.json [BENCH.json ...] [--hidden 384] [--high-ratio 0.3]

Needs only Debian's python3-matplotlib (apt-get install -y python3-matplotlib): no pip.

Each JSON gives the median RAS-step time at its ratio (`ras.ras_step_ms`) and the median dense-step time of the
same run (`ras.dense_step_ms`); the dense point (ratio 1) is the best dense-step median over all files, since a
dense step is the same work whatever ratio the file was run with. The ideal line is that dense time scaled by the
forward's FLOPs at each ratio: image-token projections and MLPs shrink with the active count, text tokens do not,
and attention is (active + text) queries against all (image + text) keys, as on a RAS step.
"""
import argparse
import json
import math

import matplotlib

matplotlib.use("Agg")  # files only; no display on build machines
import matplotlib.pyplot as plt  # noqa: E402


def active_tokens(patches, ratio, high_ratio):
    """Active patches on a RAS step: P minus the skip count, with the selection's two separate truncations."""
    skip = int((1 - ratio) * patches)
    return patches - int(skip * (1 - high_ratio)) - int(skip * high_ratio)


def forward_flops(active, patches, text, hidden):
    """Per-block FLOPs of the joint block, up to a constant: 24·D² per token of linears, 4·D per query-key pair."""
    return 24 * hidden * hidden * (active + text) + 4 * hidden * (active + text) * (patches + text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--hidden", type=int, default=384, help="heads × head dim (sd3-bench: 6 × 64)")
    ap.add_argument("--high-ratio", type=float, default=0.3, help="bench's default --ras-high-ratio")
    a = ap.parse_args()

    runs = [json.load(open(path)) for path in a.inputs]
    patches, text = runs[0]["image_tokens"], runs[0]["text_tokens"]
    dense_s = min(r["ras"]["dense_step_ms"] for r in runs) / 1e3
    measured = {1.0: dense_s}
    for r in runs:
        ras = r["ras"]
        if ras["ratio"] < 1 and ras.get("ras_step_ms") is not None and not math.isnan(ras["ras_step_ms"]):
            measured[ras["ratio"]] = min(measured.get(ras["ratio"], math.inf), ras["ras_step_ms"] / 1e3)

    ratios = sorted(measured)
    full = forward_flops(patches, patches, text, a.hidden)
    ideal = [dense_s * forward_flops(active_tokens(patches, q, a.high_ratio), patches, text, a.hidden) / full for q in ratios]

    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=120)
    ax.plot(ratios, [measured[q] for q in ratios], "o-", label="measured (median step)")
    ax.plot(ratios, ideal, "s--", label="FLOP-proportional ideal")
    for q in ratios:
        ax.annotate(f"{measured[q] * 1e3:.0f} ms", (q, measured[q]), textcoords="offset points", xytext=(6, 6), fontsize=8)
    ax.set_xscale("log", base=2)
    ax.set_xticks(ratios)
    ax.set_xticklabels([f"{q:g}" for q in ratios])
    ax.set_xlabel("RAS sample ratio (share of image patches computed; 1 = dense)")
    ax.set_ylabel("seconds per sampler step")
    ax.set_ylim(bottom=0)
    ax.set_title(f"{runs[0]['model']} on {runs[0]['backend']}: {patches} image + {text} text tokens, batch {runs[0]['batch']}")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(a.out)
    for q, i in zip(ratios, ideal):
        print(f"ratio {q:g}: measured {measured[q] * 1e3:.1f} ms/step, ideal {i * 1e3:.1f} ms/step")


if __name__ == "__main__":
    main()
