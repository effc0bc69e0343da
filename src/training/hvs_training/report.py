"""Markdown report, model card and PNG plots of a run."""
from __future__ import annotations

import os
from typing import Dict, List, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.calibration import calibration_curve  # noqa: E402
from sklearn.metrics import precision_recall_curve  # noqa: E402

PLOTS = {
    "pr_curve.png": "Precision-recall (test rows)",
    "lead_time_hist.png": "Lead time before PNR (test runaway modules)",
    "feature_importance.png": "Feature importance (chosen model)",
    "calibration.png": "Calibration (test rows)",
}


def _fmt(v, digits=3, pct=False):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "n/a"
    if pct:
        return f"{100 * v:.1f} %"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def _min(s):
    return "n/a" if s is None else f"{s / 60:.1f} min"


def goal_table(ev: Dict[str, object], rules: Dict[str, object], goals: Dict[str, float]) -> List[Dict[str, object]]:
    rows = []
    recall = ev["event_recall"] or 0.0
    rows.append({"goal": "runaway modules alarmed before PNR", "target": f">= {goals['event_recall'] * 100:.0f} %",
                 "achieved": _fmt(recall, pct=True), "rules": _fmt(rules["event_recall"], pct=True),
                 "met": recall >= goals["event_recall"],
                 "gap": None if recall >= goals["event_recall"] else f"{(goals['event_recall'] - recall) * 100:.1f} points short ({ev['runaway_modules'] - ev['runaway_detected']} of {ev['runaway_modules']} missed)"})
    lead = ev["median_lead_s"] or 0.0
    rows.append({"goal": "median lead time", "target": f">= {goals['median_lead_s'] / 60:.0f} min",
                 "achieved": _min(ev["median_lead_s"]), "rules": _min(rules["median_lead_s"]),
                 "met": lead >= goals["median_lead_s"],
                 "gap": None if lead >= goals["median_lead_s"] else f"{(goals['median_lead_s'] - lead) / 60:.1f} min short"})
    fa = ev["fa_per_1000_module_days"]
    fa_ok = fa is not None and fa <= goals["fa_per_1000_module_days"]
    rows.append({"goal": "false alarms per 1,000 module-days (normal + look-alike)", "target": f"<= {goals['fa_per_1000_module_days']:g}",
                 "achieved": f"{_fmt(fa, 2)} ({ev['fa_episodes']} in {ev['benign_module_days']:.0f} module-days)",
                 "rules": f"{_fmt(rules['fa_per_1000_module_days'], 2)} ({rules['fa_episodes']})",
                 "met": fa_ok, "gap": None if fa_ok else f"{(fa or 0) - goals['fa_per_1000_module_days']:.2f} over"})
    margin_recall = recall - (rules["event_recall"] or 0.0)
    margin_lead = lead - (rules["median_lead_s"] or 0.0)
    clear = margin_recall >= 0 and margin_lead >= 120 and fa_ok
    rows.append({"goal": "clear margin over the rules-only baseline", "target": "better recall or lead, no more false alarms",
                 "achieved": f"recall {margin_recall * 100:+.1f} points, median lead {margin_lead / 60:+.1f} min",
                 "rules": "-", "met": clear, "gap": None if clear else "no clear margin"})
    return rows


# ---------------------------------------------------------------------------------------------
def plots(run, results: Dict[str, Dict[str, object]], best: str, y_test: np.ndarray, mask: np.ndarray,
          importance: Optional[pd.Series]) -> None:
    kw = dict(figsize=(6, 4), dpi=80)
    # PR curve
    fig, ax = plt.subplots(**kw)
    for name, r in results.items():
        p = r["_test_scores"][mask]
        if name == "rules":
            rm = r["test"]["rows"]
            ax.plot([rm["recall"]], [rm["precision"]], "ks", label="rules (Warning)")
            continue
        prec, rec, _ = precision_recall_curve(y_test, p)
        ax.plot(rec, prec, lw=2.2 if name == best else 1.0, label=f"{name} (AP {r['test']['rows']['pr_auc']:.3f})")
    ax.set_xlabel("recall (rows)"); ax.set_ylabel("precision"); ax.set_ylim(0, 1.02); ax.grid(alpha=.3)
    ax.legend(fontsize=7, loc="lower left"); ax.set_title(PLOTS["pr_curve.png"], fontsize=10)
    fig.tight_layout(); fig.savefig(run.path("pr_curve.png")); plt.close(fig)

    # lead-time histogram
    fig, ax = plt.subplots(**kw)
    bins = np.linspace(0, 120, 25)
    for name, color in ((best, "tab:blue"), ("rules", "tab:gray")):
        runs = results[name]["_test_runs"]
        lead = runs.loc[runs["Kind"] == "runaway", "Lead_s"].dropna().to_numpy() / 60
        ax.hist(np.clip(lead, 0, 119.9), bins=bins, alpha=.6, color=color, label=f"{name} (n={len(lead)})")
    ax.axvline(10, color="red", ls="--", lw=1, label="10 min goal")
    ax.set_xlabel("lead time before PNR, minutes (>= 120 in the last bin)"); ax.set_ylabel("runaway modules")
    ax.legend(fontsize=8); ax.set_title(PLOTS["lead_time_hist.png"], fontsize=10)
    fig.tight_layout(); fig.savefig(run.path("lead_time_hist.png")); plt.close(fig)

    # feature importance
    if importance is not None:
        top = importance.head(15)[::-1]
        fig, ax = plt.subplots(figsize=(6, 4.5), dpi=80)
        ax.barh(range(len(top)), top.to_numpy(), color="tab:blue")
        ax.set_yticks(range(len(top))); ax.set_yticklabels([n[:42] for n in top.index], fontsize=6)
        ax.set_xlabel("share of total gain / impurity decrease"); ax.set_title(f"{PLOTS['feature_importance.png']}: {best}", fontsize=10)
        fig.tight_layout(); fig.savefig(run.path("feature_importance.png")); plt.close(fig)

    # calibration
    fig, ax = plt.subplots(**kw)
    for name in (best,) + tuple(n for n in results if n not in (best, "rules"))[:2]:
        p = results[name]["_test_scores"][mask]
        frac, mean = calibration_curve(y_test, np.clip(p, 0, 1), n_bins=10, strategy="quantile")
        ax.plot(mean, frac, "o-", lw=2 if name == best else 1, ms=3, label=name)
    ax.plot([0, 1], [0, 1], "k:", lw=1)
    ax.set_xlabel("predicted probability (quantile bins)"); ax.set_ylabel("observed share of positives")
    ax.legend(fontsize=8); ax.set_title(PLOTS["calibration.png"] + " - class weights inflate probabilities", fontsize=9)
    fig.tight_layout(); fig.savefig(run.path("calibration.png")); plt.close(fig)


# ---------------------------------------------------------------------------------------------
def _breakdown(rows: List[Dict[str, object]], key: str) -> List[str]:
    out = [f"| {key} | runaway modules | alarmed before PNR | median lead | p10 lead | benign module-days | false alarms | FA / 1,000 module-days |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r[key]} | {r['runaway_modules']} | {_fmt(r['event_recall'], pct=True)} | {_min(r['median_lead_s'])} | "
                   f"{_min(r['p10_lead_s'])} | {r['benign_module_days']:.1f} | {r['fa_episodes']} | {_fmt(r['fa_per_1000_module_days'], 2)} |")
    return out


def write_all(run, summary: Dict[str, object], results: Dict[str, Dict[str, object]], best: str,
              y_test: np.ndarray, mask: np.ndarray, importance: Optional[pd.Series], ds) -> None:
    plots(run, results, best, y_test, mask, importance)
    runs_best = results[best]["_test_runs"]
    runs_best.to_csv(run.path("events-test.csv"), index=False)
    cand_rows = []
    for n, r in results.items():
        v, t = r["validation"], r["test"]
        cand_rows.append({
            "candidate": n, "exportable": r["exportable"], "k": r["k"], "warning_threshold": r["thresholds"]["warning"],
            "val_event_recall": v["events"]["event_recall"], "val_median_lead_min": (v["events"]["median_lead_s"] or 0) / 60,
            "val_fa_per_1000_md": v["events"]["fa_per_1000_module_days"], "val_pr_auc": v["rows"]["pr_auc"],
            "test_event_recall": t["events"]["event_recall"], "test_median_lead_min": (t["events"]["median_lead_s"] or 0) / 60,
            "test_p10_lead_min": (t["events"]["p10_lead_s"] or 0) / 60, "test_fa_per_1000_md": t["events"]["fa_per_1000_module_days"],
            "test_pr_auc": t["rows"]["pr_auc"], "test_roc_auc": t["rows"]["roc_auc"], "test_f1": t["rows"]["f1"], "seconds": r["seconds"],
        })
    pd.DataFrame(cand_rows).to_csv(run.path("candidates.csv"), index=False)
    text = render_report(summary, results, best, runs_best, ds)
    run.write_text("report.md", text)
    run.write_text("MODEL_CARD.md", render_card(summary, results, best, ds))


def _missed_explained(results, best, ds) -> List[str]:
    runs = results[best]["_test_runs"]
    rules_runs = results["rules"]["_test_runs"].set_index(["Scenario_Id", "Module_ID"])
    rw = runs[runs["Kind"] == "runaway"].copy()
    lines = []
    missed = rw[~rw["Detected"]]
    if len(missed):
        lines += ["", "Missed runaway modules (held-out test):", "",
                  "| scenario | module | fault | chemistry | severity | fault start -> PNR | rules lead |", "|---|---|---|---|---:|---:|---:|"]
        for _, r in missed.iterrows():
            rl = rules_runs.loc[(r["Scenario_Id"], r["Module_ID"]), "Lead_s"] if (r["Scenario_Id"], r["Module_ID"]) in rules_runs.index else np.nan
            lines.append(f"| {r['Scenario_Id']} | {r['Module_ID']} | {r['Fault_Type']} | {r['Chemistry']} | {r['Severity']} | "
                         f"{_min(r['Pnr_After_Fault_s'] if pd.notna(r['Pnr_After_Fault_s']) else None)} | {_min(rl if pd.notna(rl) else None)} |")
    short = rw[rw["Detected"] & (rw["Lead_s"] < 600)]
    if len(short):
        lines += ["", f"Runaway modules warned less than 10 min before PNR: {len(short)} of {len(rw)}. "
                  "The time from fault start to PNR bounds any warning:", "",
                  "| fault | severity | modules | median lead | median fault start -> PNR |", "|---|---:|---:|---:|---:|"]
        for (f, sev), g in short.groupby(["Fault_Type", "Severity"]):
            lines.append(f"| {f} | {sev} | {len(g)} | {_min(float(g['Lead_s'].median()))} | {_min(float(g['Pnr_After_Fault_s'].median()) if g['Pnr_After_Fault_s'].notna().any() else None)} |")
    return lines


def render_report(summary, results, best, runs_best, ds) -> str:
    h = summary["headline"]
    r = results[best]
    d = summary["dataset"]
    L = [f"# Training report: {summary['model_version']}", "",
         f"Run `{summary['run_id']}`, chosen model **{best}** ({r['description']}), chosen on validation scenarios. "
         f"ONNX {summary['onnx_bytes'] / 1024:.0f} KiB. Run time {summary['duration_s']:.0f} s.", "",
         "## Data", "",
         f"- Dataset `{d['directory']}` ({d['generator']}, selection `{d['selection']}`, seed {d['seed']}), "
         f"data hash `{d['data_hash'][:16]}...`",
         f"- {d['rows']:,} rows ({d['positives']:,} positive), {d['module_days']:.1f} module-days, one row per {d['sample_interval_s']:.0f} s reading; "
         f"rows of healthy modules thinned 1 in {d['thin']} (features still saw every reading)",
         f"- Label: 1 from PNR - {d['label_window_s'] / 60:.0f} min to PNR - {d['label_guard_s']:.0f} s. Features: `{d['feature_schema']['version']}` "
         f"({d['feature_schema']['count']} features, hash `{d['feature_schema']['hash'][:12]}...`), computed by the C# feature code, not recomputed here.",
         f"- Split by whole scenarios (stratified by fault type x chemistry, spread over severities): "
         f"train {d['train']['scenarios']} scenarios ({d['train']['runaway_scenarios']} with a runaway, {d['train']['benign_module_days']:.0f} benign module-days), "
         f"held-out test {d['test']['scenarios']} ({d['test']['runaway_scenarios']} with a runaway, {d['test']['benign_module_days']:.0f} benign module-days). "
         f"Thresholds and the model were chosen on out-of-fold predictions of {summary['candidates'][best]['validation']['events']['runaway_modules']} "
         f"runaway modules in grouped folds of the training scenarios; the test scenarios were used only for the figures below.",
         "", "## Goals (held-out test scenarios)", "",
         "| goal | target | achieved | rules baseline | met | gap |", "|---|---|---|---|---|---|"]
    for g in summary["goals"]:
        L.append(f"| {g['goal']} | {g['target']} | {g['achieved']} | {g['rules']} | {'yes' if g['met'] else '**no**'} | {g['gap'] or ''} |")
    L += ["", f"Alarm rule: probability >= warning threshold {r['thresholds']['warning']:.4g} for {r['k']} consecutive reading(s); "
          f"a new alarm episode needs {120:.0f} s out of alarm first (the silo's clear hold). "
          f"With k = 1 (what the silo does today) the same threshold gives: recall {_fmt(r['test']['events_k1']['event_recall'], pct=True)}, "
          f"median lead {_min(r['test']['events_k1']['median_lead_s'])}, FA {_fmt(r['test']['events_k1']['fa_per_1000_module_days'], 2)} per 1,000 module-days.",
          f"Thresholds shipped: watch {r['thresholds']['watch']:.4g}, warning {r['thresholds']['warning']:.4g}, critical {r['thresholds']['critical']:.4g}.",
          f"p10 lead {_min(h['p10_lead_s'])}; share of runaway modules warned >= 10 min ahead: {_fmt(r['test']['events']['share_lead_ge_10min'], pct=True)}.",
          f"Neighbour modules of a faulted module (not counted as false alarms): {r['test']['events']['neighbour_alarm_episodes']} alarm episodes in "
          f"{r['test']['events']['neighbour_module_days']:.0f} module-days; faulted modules that never reached PNR alarmed: "
          f"{r['test']['events']['fault_no_pnr_alarmed']} of {r['test']['events']['fault_no_pnr_modules']}."]
    dep = summary.get("deployed")
    if dep:
        dv, dt_ = dep["validation"], dep["test"]
        L += ["", "### As deployed: model (k = 1) OR rules", "",
              "The silo's policy takes the higher of the model level and the rule levels, so what an operator sees is "
              "\"model >= warning OR any rule >= Warning\":", "",
              "| split | runaway modules | alarmed before PNR | median lead | p10 lead | false alarms | FA / 1,000 module-days |",
              "|---|---:|---:|---:|---:|---:|---:|"]
        for label, e in (("validation (out-of-fold)", dv), ("held-out test", dt_)):
            L.append(f"| {label} | {e['runaway_modules']} | {_fmt(e['event_recall'], pct=True)} | {_min(e['median_lead_s'])} | "
                     f"{_min(e['p10_lead_s'])} | {e['fa_episodes']} | {_fmt(e['fa_per_1000_module_days'], 2)} |")
    L += _missed_explained(results, best, ds)
    L += ["", "## Candidates", "",
          "Validation = out-of-fold predictions on the training scenarios (grouped folds); thresholds per candidate chosen there. "
          "Test = held-out scenarios at those thresholds. Lead in minutes; FA per 1,000 benign module-days.", "",
          "| candidate | k | warning thr | val recall | val lead | val FA | val PR-AUC | test recall | test median lead | test p10 lead | test FA | test PR-AUC | test ROC-AUC | s |",
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, c in results.items():
        v, t = c["validation"], c["test"]
        mark = " **(chosen)**" if n == best else ("" if c["exportable"] else " (not exported)")
        L.append(f"| {n}{mark} | {c['k']} | {c['thresholds']['warning']:.4g} | {_fmt(v['events']['event_recall'], pct=True)} | "
                 f"{_min(v['events']['median_lead_s'])} | {_fmt(v['events']['fa_per_1000_module_days'], 2)} | {_fmt(v['rows']['pr_auc'])} | "
                 f"{_fmt(t['events']['event_recall'], pct=True)} | {_min(t['events']['median_lead_s'])} | {_min(t['events']['p10_lead_s'])} | "
                 f"{_fmt(t['events']['fa_per_1000_module_days'], 2)} | {_fmt(t['rows']['pr_auc'])} | {_fmt(t['rows']['roc_auc'])} | {c['seconds']:.0f} |")
    L += ["", "Descriptions:", ""] + [f"- `{n}`: {c['description']}" for n, c in results.items()]
    if summary.get("search"):
        L += ["", "Randomized search (XGBoost, grouped folds, mean PR-AUC), best settings:", "",
              "| rank | PR-AUC | params |", "|---:|---:|---|"]
        for s in summary["search"][:5]:
            L.append(f"| {s['rank_test_score']} | {s['mean_test_score']:.4f} | `{s['params']}` |")
    L += ["", "## Row-level metrics (held-out test, at the warning threshold, single readings)", "",
          "Left out (their label 0 does not mean safe): every module's rows from its scenario's first PNR − guard on (the rack is burning), and a runaway module's rows between fault start and the label window (a developing fault).", "",
          "| candidate | precision | recall | F1 | ROC-AUC | PR-AUC | TN | FP | FN | TP |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, c in results.items():
        m = c["test"]["rows"]; cm = m["confusion"]
        L.append(f"| {n} | {_fmt(m['precision'])} | {_fmt(m['recall'])} | {_fmt(m['f1'])} | {_fmt(m['roc_auc'])} | {_fmt(m['pr_auc'])} | "
                 f"{cm['tn']:,} | {cm['fp']:,} | {cm['fn']:,} | {cm['tp']:,} |")
    L += ["", "Row-level recall is low by design: the label covers the whole 20-minute window, and early in it a slow fault "
          "is not yet visible in the sensors; what matters is the event-level figure (one alarm per runaway, early enough).",
          "", f"## Break-down: {best} (held-out test)", ""]
    L += _breakdown(r["test"]["events"]["by_fault_type"], "Fault_Type") + [""] + _breakdown(r["test"]["events"]["by_chemistry"], "Chemistry")
    L += ["", "## Break-down: rules baseline (held-out test)", ""]
    L += _breakdown(results["rules"]["test"]["events"]["by_fault_type"], "Fault_Type") + [""] + _breakdown(results["rules"]["test"]["events"]["by_chemistry"], "Chemistry")
    L += ["", "## Plots", ""] + [f"![{t}]({f})" for f, t in PLOTS.items()]
    if summary.get("feature_importance_top"):
        L += ["", "Top features: " + ", ".join(f"`{k}` {v:.3f}" for k, v in list(summary["feature_importance_top"].items())[:8])]
    L += ["", "## Notes and limits", "",
          "- Simulated data only: the simulator's physics, sensor noise and look-alikes bound what these figures mean for a real site.",
          "- The rules baseline reimplements HazardRuleOptions defaults without hysteresis and without the voltage-floor rule; "
          "its alarm is level >= Warning on one reading.",
          "- Benign-module rows are thinned in the dataset, so on benign modules k consecutive rows span k x thin readings; "
          "false alarms from a single-reading blip can be missed between kept rows (module-days are real time).",
          "- Probabilities are not calibrated (class weights shift them up); the thresholds, not 0.5, carry the meaning.",
          ""]
    return "\n".join(L)


def render_card(summary, results, best, ds) -> str:
    r = results[best]
    d = summary["dataset"]
    h = summary["headline"]
    goals = "\n".join(f"| {g['goal']} | {g['target']} | {g['achieved']} | {'yes' if g['met'] else '**no**'} {g['gap'] or ''} |" for g in summary["goals"])
    return f"""# Model card: HvsGrains thermal-runaway hazard model `{summary['model_version']}`

## What it is
{r['description']}, exported to ONNX (opset 17, ai.onnx.ml 3, IR 8; `TreeEnsembleRegressor`{' + `Sigmoid`' if best.startswith('xgb') else ' (average of tree probabilities)'}).
Input `features` float[N, {d['feature_schema']['count']}] in the order of feature schema `{d['feature_schema']['version']}`
(hash `{d['feature_schema']['hash']}`); output `probabilities` float[N, 1], the probability that the
module reaches the point of no return (PNR) within {d['label_window_s'] / 60:.0f} minutes. No ZipMap. {summary['onnx_bytes'] / 1024:.0f} KiB.

Metadata keys: {', '.join(f'`{k}`' for k in summary['metadata_keys'])}.
Thresholds (`hvs.thresholds`): watch {r['thresholds']['watch']:.6g}, warning {r['thresholds']['warning']:.6g}, critical {r['thresholds']['critical']:.6g},
chosen on validation scenarios (out-of-fold, grouped by scenario), never on the test set.

## Intended use
Early warning of thermal runaway per battery module in an HVS warehouse, scored by the module grain on every
reading, *together with* the deterministic safety rules (the policy takes the higher level; a missing or unsure
model never lowers what the rules say). Not a replacement for the rules, fire detection or the BMS.

## Data
Simulated only: `{d['generator']}`, selection `{d['selection']}`, seed {d['seed']}, {d['rows']:,} rows,
{d['module_days']:.0f} module-days, readings every {d['sample_interval_s']:.0f} s, healthy-module rows thinned 1 in {d['thin']}.
Training data hash (`hvs.training_data_hash`): `{d['data_hash']}`.
Faults: internal short (5 severities), overcharge (3), external heating (3), cooling failure (2), on NMC and LFP.
Look-alikes: normal operation, HVAC failure, high load, summer afternoon, cell imbalance, sensor faults (5).
Split by whole scenarios: {d['train']['scenarios']} training / {d['test']['scenarios']} held-out test scenarios.

## Held-out results (test scenarios)
| goal | target | achieved | met |
|---|---|---|---|
{goals}

p10 lead time {_min(h['p10_lead_s'])}; row-level PR-AUC {_fmt(h['row_pr_auc'])}, ROC-AUC {_fmt(h['row_roc_auc'])}.
Alarm rule used for these figures: probability >= warning for {r['k']} consecutive reading(s). With k = 1 (the silo's
policy today, which alarms on the first reading at warning) the same threshold gives recall
{_fmt(r['test']['events_k1']['event_recall'], pct=True)}, median lead {_min(r['test']['events_k1']['median_lead_s'])} and
{_fmt(r['test']['events_k1']['fa_per_1000_module_days'], 2)} false alarms per 1,000 module-days
({r['test']['events_k1']['fa_episodes']} episodes). Validation (out-of-fold) recall was
{_fmt(r['validation']['events']['event_recall'], pct=True)} ({r['validation']['events']['runaway_detected']} of
{r['validation']['events']['runaway_modules']} runaway modules). The full report
(`training-report.md`, with break-downs by fault type and chemistry, the candidate comparison and plots) is beside this card.

## Limits
- Trained and tested on simulator output only; real sensors, module designs and failure modes differ. Re-validate on
  site data (shadow mode) before relying on it.
- The held-out test has {h['runaway_modules']} runaway modules and {h['benign_module_days']:.0f} benign module-days: a false-alarm
  rate of 1 per 1,000 module-days cannot be confirmed at that size (zero observed alarms bounds it only to ~{3000 / max(h['benign_module_days'], 1):.0f}
  per 1,000 module-days at 95 %).
- Faults that go from first symptom to PNR in a few minutes (severe internal shorts) leave little room for any warning.
- Probabilities are not calibrated (class weights); use the shipped thresholds.
- Any change to the C# feature code changes the schema hash; the silo then refuses this model and falls back to the rules.

## Reproduce
```
dotnet run -c Release --project src/HvsGrains.Simulation -- {(d['command'] or '').replace('hvs-sim ', '')}
cd src/training && /usr/bin/python3 -m hvs_training train --data <dataset dir> --out runs
/usr/bin/python3 -m hvs_training promote --run <run id> --to ../HvsGrains.Silo/BundledModel
```
"""
