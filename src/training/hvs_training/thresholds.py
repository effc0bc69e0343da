"""Alarm thresholds chosen on validation scenarios (out-of-fold predictions), never on test."""
from __future__ import annotations

from typing import Dict, Sequence

import numpy as np
import pandas as pd

from .events import EventIndex
from .models import logit, sigmoid

WATCH_FA_FACTOR = 10.0     # Watch is advisory: up to 10x the false-alarm goal on validation
MARGIN_LOGIT = 1.5         # at most this far above the lowest goal-compliant threshold
CRITICAL_LOGIT = 2.0       # critical sits this far above warning


def grid(index: EventIndex, scores: np.ndarray, k: int) -> np.ndarray:
    base = [sigmoid(x) for x in np.linspace(-8, 12, 201)]
    m = index.kmin(index.sorted_scores(scores), k)
    peaks = []
    benign = index.run_kind == "benign"
    if benign.any():
        mb = np.where(benign, m, -np.inf)
        runs = index.run[benign]
        peak = pd.Series(mb[benign]).groupby(runs).max().to_numpy()
        peaks = [np.nextafter(p, 2.0) for p in peak if np.isfinite(p) and p > 0]
    g = np.unique(np.clip(np.r_[base, peaks], 1e-9, 1 - 1e-9))
    return g


def _compliant_from(sweep: pd.DataFrame, limit: float) -> float:
    """Smallest threshold from which every higher threshold meets the false-alarm limit."""
    ok = (sweep["fa_per_1000_md"].fillna(0).to_numpy() <= limit)
    # reverse cumulative AND
    suffix = np.logical_and.accumulate(ok[::-1])[::-1]
    idx = np.flatnonzero(suffix)
    return float(sweep["threshold"].iloc[idx[0]]) if len(idx) else float(sweep["threshold"].iloc[-1])


def choose(index: EventIndex, scores: np.ndarray, fa_goal_per_1000: float, ks: Sequence[int] = (1, 2, 3)) -> Dict[str, object]:
    """Warning = the lowest threshold meeting the false-alarm goal on validation, moved up (max-margin)
    as far as validation recall allows, by at most MARGIN_LOGIT. k = the smallest number of consecutive
    readings giving the best recall (then lead time, by more than a minute)."""
    options = []
    for k in ks:
        g = grid(index, scores, k)
        sw = index.sweep(scores, k, g)
        t_lo = _compliant_from(sw, fa_goal_per_1000)
        rec_lo = float(sw.loc[sw["threshold"] >= t_lo, "recall"].iloc[0])
        same = sw[(sw["threshold"] >= t_lo) & (sw["recall"] >= rec_lo - 1e-12)]
        t_hi = float(same["threshold"].max())
        t_w = sigmoid(min(logit(t_lo) + MARGIN_LOGIT, (logit(t_lo) + logit(t_hi)) / 2.0))
        at = index.sweep(scores, k, [t_w]).iloc[0]
        options.append({"k": k, "warning": t_w, "t_lo": t_lo, "t_hi": t_hi, "recall": float(at["recall"]),
                        "median_lead_s": float(at["median_lead_s"]) if pd.notna(at["median_lead_s"]) else 0.0,
                        "fa_per_1000_md": float(at["fa_per_1000_md"]), "sweep": sw})
    best = options[0]
    for o in options[1:]:
        if o["recall"] > best["recall"] + 1e-9 or (abs(o["recall"] - best["recall"]) <= 1e-9 and o["median_lead_s"] > best["median_lead_s"] + 60):
            best = o
    sw = best["sweep"]
    t_watch = _compliant_from(sw, fa_goal_per_1000 * WATCH_FA_FACTOR)
    watch = min(t_watch, sigmoid(logit(best["warning"]) - 0.5))
    critical = sigmoid(logit(best["warning"]) + CRITICAL_LOGIT)
    return {
        "k": int(best["k"]), "watch": float(watch), "warning": float(best["warning"]), "critical": float(critical),
        "lowest_compliant": best["t_lo"], "highest_same_recall": best["t_hi"],
        "validation_fa_goal_met": bool(best["fa_per_1000_md"] <= fa_goal_per_1000),
        "options": [{k: v for k, v in o.items() if k != "sweep"} for o in options],
        "sweep": sw,
    }
