"""Event-level evaluation: what a safety engineer asks of an early-warning system.

Unit: one module in one scenario (a "run"), its readings in time order.
- Alarm: probability >= threshold for k consecutive readings of the module (k chosen on validation;
  k = 1 is what the silo's policy does today, it alarms on the first reading at Warning).
- Runaway runs (the module reaches PNR): detected when an alarm fires at or after the scenario's
  fault start and before PNR; lead time = PNR - time of the first such alarm.
- Alarm episodes: an alarm that starts after the module has been out of alarm for more than
  clear_hold_s (the silo's ClearHoldTime, 2 min) counts as a new episode.
- False alarms per 1,000 module-days on benign runs (normal operation and look-alikes): episodes /
  module-days x 1000; module-days come from the manifest (scenario duration x modules), so thinned
  benign rows still count their real time. Neighbours of a faulted module and faulted modules that
  never reach PNR are reported separately (their heating is real, not a false alarm), counting only
  alarms before the scenario's first PNR (after it the rack is burning).
"""
from __future__ import annotations

from typing import Dict, Iterable, List, Optional

import numpy as np
import pandas as pd

CLEAR_HOLD_S = 120.0


def _runs_of(frame: pd.DataFrame) -> np.ndarray:
    key = frame["Scenario_Id"].astype(str) + "/" + frame["Module_ID"].astype(str)
    return pd.factorize(key)[0]


class EventIndex:
    """Precomputed per-run order of a set of rows, so that many thresholds can be evaluated quickly."""

    def __init__(self, frame: pd.DataFrame, scenarios: pd.DataFrame, clear_hold_s: float = CLEAR_HOLD_S):
        self.clear_hold_s = clear_hold_s
        run = _runs_of(frame)
        time = frame["Time_s"].to_numpy(dtype=np.float64)
        order = np.lexsort((time, run))
        self.order = order                          # sorted position -> row position in frame
        self.run = run[order]
        self.time = time[order]
        self.ttp = frame["Time_To_PNR_s"].to_numpy(dtype=np.float64)[order]
        sid = frame["Scenario_Id"].astype(str).to_numpy()[order]
        mid = frame["Module_ID"].astype(str).to_numpy()[order]
        n = len(order)
        starts = np.flatnonzero(np.r_[True, self.run[1:] != self.run[:-1]]) if n else np.array([], dtype=int)
        ends = np.r_[starts[1:], n] if n else np.array([], dtype=int)
        run_start = np.zeros(n, dtype=np.int64)
        if n:
            run_start[starts] = starts
            run_start = np.maximum.accumulate(run_start)
        self.pos_in_run = np.arange(n) - run_start
        rows = []
        for s, e in zip(starts, ends):
            sc = scenarios.loc[sid[s]]
            module = mid[s]
            has_pnr = module in sc["Pnr_Modules"]
            fault_start = (sc["Start"].value / 1e9 + sc["Fault_Start_s"]) if pd.notna(sc["Start"]) else -np.inf
            if has_pnr:
                kind = "runaway"
            elif sc["Is_Benign"]:
                kind = "benign"
            elif module == sc["Fault_Module"]:
                kind = "fault_no_pnr"
            else:
                kind = "neighbour"
            pnr_time = self.time[s] + self.ttp[s] if has_pnr and np.isfinite(self.ttp[s]) else np.nan
            rows.append({
                "Scenario_Id": sid[s], "Module_ID": module, "Kind": kind, "Pnr_After_Fault_s": pnr_time - fault_start,
                "Fault_Type": sc["Fault_Type"], "Chemistry": sc["Chemistry"], "Severity": sc["Severity"],
                "Module_Days": sc["Duration_s"] / 86400.0, "Fault_Start": fault_start, "Start": s, "End": e,
            })
        self.runs = pd.DataFrame(rows, columns=["Scenario_Id", "Module_ID", "Kind", "Pnr_After_Fault_s", "Fault_Type", "Chemistry", "Severity",
                                                "Module_Days", "Fault_Start", "Start", "End"])
        # Rows where a runaway alarm counts: after fault start, before PNR, on runaway runs.
        run_kind = self.runs["Kind"].to_numpy()[self.run] if n else np.array([])
        fault_start_row = self.runs["Fault_Start"].to_numpy()[self.run] if n else np.array([])
        self.eligible = (run_kind == "runaway") & (self.time >= fault_start_row) & (self.ttp > 0)
        self.prefault_runaway = (run_kind == "runaway") & (self.time < fault_start_row)
        self.run_kind = run_kind
        # Alarms on modules without PNR count until the scenario's first PNR: after it the rack is burning.
        first = pd.Series(time + frame["Time_To_PNR_s"].to_numpy(dtype=np.float64)).groupby(frame["Scenario_Id"].astype(str).to_numpy()).min()
        first_row = frame["Scenario_Id"].astype(str).map(first).to_numpy(dtype=np.float64)[order]
        self.count_mask = np.isnan(first_row) | (self.time < first_row) | (run_kind == "runaway")

    # -- alarm signal --------------------------------------------------------------------------
    def sorted_scores(self, scores: np.ndarray) -> np.ndarray:
        return np.asarray(scores, dtype=np.float64)[self.order]

    def kmin(self, scores_sorted: np.ndarray, k: int) -> np.ndarray:
        """min of the module's last k readings (-inf until the module has k readings)."""
        m = np.array(scores_sorted, dtype=np.float64, copy=True)
        shifted = m
        for j in range(1, k):
            shifted = np.r_[-np.inf, shifted[:-1]]
            m = np.minimum(m, np.where(self.pos_in_run >= j, shifted, -np.inf))
        return m

    def _episodes(self, alarm: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Episode starts among rows in mask (bool array in sorted order)."""
        idx = np.flatnonzero(alarm & mask)
        if len(idx) == 0:
            return idx
        new = np.r_[True, (self.run[idx[1:]] != self.run[idx[:-1]]) | (self.time[idx[1:]] - self.time[idx[:-1]] > self.clear_hold_s)]
        return idx[new]

    # -- one threshold -------------------------------------------------------------------------
    def evaluate(self, scores: np.ndarray, threshold: float, k: int = 1) -> Dict[str, object]:
        """Event metrics at one threshold; 'runs' holds the per-run detail."""
        m = self.kmin(self.sorted_scores(scores), k)
        alarm = m >= threshold
        runs = self.runs.copy()
        lead = np.full(len(runs), np.nan)
        detected = np.zeros(len(runs), dtype=bool)
        episodes = np.zeros(len(runs), dtype=np.int64)
        starts = self._episodes(alarm, self.count_mask)
        np.add.at(episodes, self.run[starts], 1)
        pre = self._episodes(alarm, self.prefault_runaway)
        prefault = np.zeros(len(runs), dtype=np.int64)
        np.add.at(prefault, self.run[pre], 1)
        hits = np.flatnonzero(alarm & self.eligible)
        if len(hits):
            first = hits[np.r_[True, self.run[hits[1:]] != self.run[hits[:-1]]]]
            detected[self.run[first]] = True
            lead[self.run[first]] = self.ttp[first]
        runs["Detected"] = detected
        runs["Lead_s"] = lead
        runs["Episodes"] = episodes
        runs["Prefault_Episodes"] = prefault
        runs["Alarmed"] = episodes > 0
        return summarize(runs, threshold, k)

    # -- many thresholds -----------------------------------------------------------------------
    def sweep(self, scores: np.ndarray, k: int, thresholds: Iterable[float]) -> pd.DataFrame:
        """recall / lead / false-alarm rate for each threshold (fast path for threshold choice)."""
        thresholds = np.asarray(sorted(set(float(t) for t in thresholds)))
        m = self.kmin(self.sorted_scores(scores), k)
        kinds = self.runs["Kind"].to_numpy()
        runaway_runs = np.flatnonzero(kinds == "runaway")
        benign_days = float(self.runs.loc[kinds == "benign", "Module_Days"].sum())
        # Runaway: per run, the running max of m over eligible rows gives the first alarm time per threshold.
        leads = np.full((len(thresholds), len(runaway_runs)), np.nan)
        for j, r in enumerate(runaway_runs):
            s, e = int(self.runs.at[r, "Start"]), int(self.runs.at[r, "End"])
            el = self.eligible[s:e]
            if not el.any():
                continue
            mm = m[s:e][el]
            tt = self.ttp[s:e][el]
            cm = np.maximum.accumulate(mm)
            pos = np.searchsorted(cm, thresholds, side="left")  # first index with cm >= t
            ok = pos < len(cm)
            leads[ok, j] = tt[pos[ok]]
        benign_mask = self.run_kind == "benign"
        low = thresholds.min() if len(thresholds) else 0.0
        cand = np.flatnonzero(benign_mask & (m >= low))
        fa = np.zeros(len(thresholds))
        for i, t in enumerate(thresholds):
            idx = cand[m[cand] >= t]
            if len(idx):
                new = np.r_[True, (self.run[idx[1:]] != self.run[idx[:-1]]) | (self.time[idx[1:]] - self.time[idx[:-1]] > self.clear_hold_s)]
                fa[i] = new.sum()
        n_run = max(len(runaway_runs), 1)
        det = ~np.isnan(leads)
        with np.errstate(all="ignore"):
            med = np.array([np.nanmedian(row) if np.any(~np.isnan(row)) else np.nan for row in leads])
            p10 = np.array([np.nanpercentile(row, 10) if np.any(~np.isnan(row)) else np.nan for row in leads])
        return pd.DataFrame({
            "threshold": thresholds, "k": k,
            "recall": det.sum(axis=1) / n_run,
            "median_lead_s": med, "p10_lead_s": p10,
            "fa_episodes": fa, "fa_per_1000_md": fa / benign_days * 1000.0 if benign_days > 0 else np.nan,
        })


def _lead_stats(leads: np.ndarray) -> Dict[str, Optional[float]]:
    leads = leads[~np.isnan(leads)]
    if len(leads) == 0:
        return {"median_lead_s": None, "p10_lead_s": None, "min_lead_s": None}
    return {"median_lead_s": float(np.median(leads)), "p10_lead_s": float(np.percentile(leads, 10)),
            "min_lead_s": float(leads.min())}


def summarize(runs: pd.DataFrame, threshold: float, k: int) -> Dict[str, object]:
    rw = runs[runs["Kind"] == "runaway"]
    bn = runs[runs["Kind"] == "benign"]
    nb = runs[runs["Kind"] == "neighbour"]
    fn = runs[runs["Kind"] == "fault_no_pnr"]
    benign_days = float(bn["Module_Days"].sum())
    neighbour_days = float(nb["Module_Days"].sum())
    out: Dict[str, object] = {
        "threshold": float(threshold), "k": int(k),
        "runaway_modules": int(len(rw)),
        "runaway_detected": int(rw["Detected"].sum()),
        "event_recall": float(rw["Detected"].mean()) if len(rw) else None,
        "missed": rw.loc[~rw["Detected"], ["Scenario_Id", "Module_ID", "Fault_Type", "Chemistry", "Severity"]].to_dict("records"),
        "share_lead_ge_5min": float((rw["Lead_s"] >= 300).mean()) if len(rw) else None,
        "share_lead_ge_10min": float((rw["Lead_s"] >= 600).mean()) if len(rw) else None,
        "runaway_prefault_episodes": int(rw["Prefault_Episodes"].sum()),
        "benign_module_days": benign_days,
        "fa_episodes": int(bn["Episodes"].sum()),
        "fa_per_1000_module_days": float(bn["Episodes"].sum() / benign_days * 1000) if benign_days > 0 else None,
        "neighbour_module_days": neighbour_days,
        "neighbour_alarm_episodes": int(nb["Episodes"].sum()),
        "neighbour_alarms_per_1000_module_days": float(nb["Episodes"].sum() / neighbour_days * 1000) if neighbour_days > 0 else None,
        "fault_no_pnr_modules": int(len(fn)),
        "fault_no_pnr_alarmed": int(fn["Alarmed"].sum()),
    }
    out.update(_lead_stats(rw["Lead_s"].to_numpy(dtype=float)))
    by: Dict[str, List[dict]] = {}
    for col in ("Fault_Type", "Chemistry"):
        rows = []
        for key, g in runs.groupby(col):
            g_rw, g_bn = g[g["Kind"] == "runaway"], g[g["Kind"] == "benign"]
            days = float(g_bn["Module_Days"].sum())
            row = {col: str(key), "runaway_modules": int(len(g_rw)),
                   "event_recall": float(g_rw["Detected"].mean()) if len(g_rw) else None,
                   "benign_module_days": days,
                   "fa_episodes": int(g_bn["Episodes"].sum()),
                   "fa_per_1000_module_days": float(g_bn["Episodes"].sum() / days * 1000) if days > 0 else None}
            row.update(_lead_stats(g_rw["Lead_s"].to_numpy(dtype=float)))
            rows.append(row)
        by[col] = rows
    out["by_fault_type"] = by["Fault_Type"]
    out["by_chemistry"] = by["Chemistry"]
    out["runs"] = runs
    return out
