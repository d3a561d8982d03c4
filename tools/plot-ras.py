#!/usr/bin/python3
"""Plot seconds per sampler step against the RAS ratio from `rasnative bench --steps N --ras-ratio R --json` outputs.

Usage: /usr/bin/python3 tools/plot-ras.py OUT.png BENCH.json [BENCH.json ...] [--hidden 384] [--high-ratio 0.3]

Needs only Debian's python3-matplotlib (apt-get install -y python3-matplotlib): no pip.

Each JSON gives the median RAS-step time at its ratio (`ras.ras_step_ms`) and the median dense-step time of the
same run (`ras.dense_step_ms`). Files are grouped by their step count, one measured line each; per ratio the
fastest RAS-step median is kept (on a shared machine the better of repeated runs is the less disturbed one). The
dense point (ratio 1) and the base of the ideal are the fastest dense-step median of all files, since a dense step
is the same work whatever ratio or step count the file was run with. The ideal scales it by the forward's FLOPs at
each ratio: image-token projections and MLPs shrink with the active count, text tokens do not, and attention is
(active + text) queries against all (image + text) keys, as on a RAS step.
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
    series = {}  # step count -> {ratio: fastest RAS-step seconds}
    for r in runs:
        ras = r["ras"]
        step = ras.get("ras_step_ms")
        if ras["ratio"] < 1 and step is not None and not math.isnan(step):
            best = series.setdefault(ras["steps"], {1.0: dense_s})
            best[ras["ratio"]] = min(best.get(ras["ratio"], math.inf), step / 1e3)

    ratios = sorted({q for best in series.values() for q in best})
    full = forward_flops(patches, patches, text, a.hidden)
    ideal = [dense_s * forward_flops(active_tokens(patches, q, a.high_ratio), patches, text, a.hidden) / full for q in ratios]

    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=120)
    for index, (steps, best) in enumerate(sorted(series.items())):
        qs = sorted(best)
        ax.plot(qs, [best[q] for q in qs], "o-", label=f"measured, {steps}-step runs (median RAS step)")
        for q in qs[:-1]:  # the dense point is shared by every series; labelled once below
            ax.annotate(f"{best[q] * 1e3:.0f} ms", (q, best[q]), textcoords="offset points", xytext=(6, 6 if index % 2 == 0 else -14), fontsize=8)
    ax.annotate(f"{dense_s * 1e3:.0f} ms (dense)", (1.0, dense_s), textcoords="offset points", xytext=(-40, 8), fontsize=8)
    ax.plot(ratios, ideal, "s--", label="FLOP-proportional ideal")
    ax.set_xscale("log", base=2)
    ax.set_xlim(min(ratios) / 1.3, max(ratios) * 1.3)  # room for the labels of the end points
    ax.set_xticks(ratios)
    ax.set_xticklabels([f"{q:g}" for q in ratios])
    ax.set_xlabel("RAS sample ratio (share of image patches computed; 1 = dense)")
    ax.set_ylabel("seconds per sampler step")
    ax.set_ylim(0, dense_s * 1.12)
    ax.set_title(f"{runs[0]['model']} on {runs[0]['backend']}: {patches} image + {text} text tokens, batch {runs[0]['batch']}")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(a.out)
    for q, i in zip(ratios, ideal):
        cells = ", ".join(f"{steps} steps {best[q] * 1e3:.1f}" for steps, best in sorted(series.items()) if q in best)
        print(f"ratio {q:g}: measured ms/step {cells}; ideal {i * 1e3:.1f}")


if __name__ == "__main__":
    main()
