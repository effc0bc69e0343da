"""The candidate against the model in use, on the same rows, so an operator can judge the candidate before shadowing it.

Both models score the SAME held-out simulator test scenarios and alarm as the silo does (probability >= their own
warning threshold, first reading, k = 1): event recall before PNR, lead times, false alarms per 1,000 benign
module-days, row PR-AUC. On each site export both score the labelled rows: the share of true-alarm rows each flags,
of false-alarm rows (an operator's false alarm the model would raise again) and of no-alarm rows. The candidate was
fitted on those site rows, the active model was not: the site figures say whether the candidate learnt the verdicts,
not how it generalises; the simulator figures are the held-out comparison.
"""
from __future__ import annotations

import json
from typing import Dict, List, Optional, Sequence

import numpy as np
import onnx
from sklearn.metrics import average_precision_score, roc_auc_score

from . import onnx_eval
from .data import DatasetError

EVENT_KEYS = ("event_recall", "runaway_modules", "runaway_detected", "median_lead_s", "p10_lead_s",
              "fa_per_1000_module_days", "fa_episodes", "benign_module_days")


def read_model(path: str) -> Dict[str, object]:
    """An ONNX hazard model's version, thresholds and feature schema from its metadata."""
    try:
        model = onnx.load(path)
    except Exception as error:  # protobuf decode errors, missing file
        raise DatasetError(f"The active model '{path}' cannot be read as ONNX: {error}") from error
    meta = {p.key: p.value for p in model.metadata_props}
    missing = [k for k in ("hvs.model_version", "hvs.thresholds", "hvs.feature_schema_hash") if k not in meta]
    if missing:
        raise DatasetError(f"The active model '{path}' lacks metadata {', '.join(missing)}: it is not an HvsGrains hazard model.")
    return {"path": path, "model": model, "version": meta["hvs.model_version"],
            "thresholds": json.loads(meta["hvs.thresholds"]), "schema_hash": meta["hvs.feature_schema_hash"]}


def _events(index, scores: np.ndarray, warning: float) -> Dict[str, object]:
    ev = index.evaluate(scores, warning, 1)
    return {k: ev.get(k) for k in EVENT_KEYS}


def _rows(y: np.ndarray, scores: np.ndarray, warning: float) -> Dict[str, object]:
    both = len(np.unique(y)) == 2
    flagged = scores >= warning
    return {"rows": int(len(y)), "positives": int(y.sum()),
            "pr_auc": float(average_precision_score(y, scores)) if both else None,
            "roc_auc": float(roc_auc_score(y, scores)) if both else None,
            "recall": float(flagged[y == 1].mean()) if (y == 1).any() else None,
            "false_positive_rate": float(flagged[y == 0].mean()) if (y == 0).any() else None}


def _site(site, scores: np.ndarray, warning: float) -> Dict[str, object]:
    flagged = scores >= warning
    out: Dict[str, object] = {}
    for source in ("true-alarm", "false-alarm", "no-alarm", "unjudged-alarm"):
        rows = site.source == source
        out[source] = {"rows": int(rows.sum()), "flagged": float(flagged[rows].mean()) if rows.any() else None}
    return out


def compare_models(active_path: str, candidate: Dict[str, object], X: np.ndarray, y: np.ndarray, test_rows: np.ndarray,
                   eval_mask: np.ndarray, test_index, test_scenarios: int, sites: Sequence, schema_hash: str) -> Dict[str, object]:
    """candidate: {"version", "thresholds", "onnx", "test_scores"} (test_scores: its scores on X[test_rows])."""
    active = read_model(active_path)
    if active["schema_hash"] != schema_hash:
        raise DatasetError(f"The active model '{active_path}' ({active['version']}) has feature schema {active['schema_hash'][:12]}, "
                           f"the data {schema_hash[:12]}: they cannot be compared on the same rows.")
    models = {
        "candidate": {"version": candidate["version"], "warning": float(candidate["thresholds"]["warning"]),
                      "onnx": candidate["onnx"], "test": np.asarray(candidate["test_scores"])},
        "active": {"version": active["version"], "warning": float(active["thresholds"]["warning"]),
                   "onnx": active["model"], "test": onnx_eval.probabilities(active["model"], X[test_rows])},
    }
    mask = eval_mask[test_rows]
    result: Dict[str, object] = {"active_model": {"path": active_path, "version": active["version"]},
                                 "candidate_model": {"version": candidate["version"]},
                                 "test_scenarios": int(test_scenarios),
                                 "test_rows": int(len(test_rows)), "models": {}, "sites": []}
    for role, m in models.items():
        result["models"][role] = {
            "version": m["version"], "warning": m["warning"],
            "test_events": _events(test_index, m["test"], m["warning"]),
            "test_rows": _rows(y[test_rows][mask], m["test"][mask], m["warning"]),
        }
    a, c = models["active"], models["candidate"]
    result["test_agreement"] = float(np.mean((a["test"] >= a["warning"]) == (c["test"] >= c["warning"])))
    for site in sites:
        entry = {"name": site.name, "rows": int(len(site.y))}
        for role, m in models.items():
            entry[role] = _site(site, onnx_eval.probabilities(m["onnx"], site.X), m["warning"])
        result["sites"].append(entry)
    return result


def _f(v, pct=False, minutes=False) -> str:
    if v is None:
        return "–"
    if pct:
        return f"{100 * v:.1f} %"
    if minutes:
        return f"{v / 60:.1f} min"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


def render(comparison: Dict[str, object]) -> str:
    a, c = comparison["models"]["active"], comparison["models"]["candidate"]
    lines: List[str] = [
        "## Candidate vs. active model",
        "",
        f"Active **{a['version']}** (`{comparison['active_model']['path']}`) against the candidate **{c['version']}**, on the "
        f"same {comparison['test_rows']:,} rows of the {comparison['test_scenarios']} held-out simulator test scenarios; each alarms at its own warning "
        "threshold on the first reading (k = 1), as the silo does.",
        "",
        f"| held-out simulator test | active {a['version']} | candidate {c['version']} |",
        "|---|---|---|",
        f"| warning threshold | {a['warning']:.4g} | {c['warning']:.4g} |",
    ]
    rows = [("runaway modules alarmed before PNR", "event_recall", dict(pct=True)), ("median lead", "median_lead_s", dict(minutes=True)),
            ("p10 lead", "p10_lead_s", dict(minutes=True)), ("false alarms / 1,000 module-days", "fa_per_1000_module_days", {}),
            ("false-alarm episodes", "fa_episodes", {})]
    for label, key, fmt in rows:
        lines.append(f"| {label} | {_f(a['test_events'][key], **fmt)} | {_f(c['test_events'][key], **fmt)} |")
    lines.append(f"| row PR-AUC / ROC-AUC | {_f(a['test_rows']['pr_auc'])} / {_f(a['test_rows']['roc_auc'])} | "
                 f"{_f(c['test_rows']['pr_auc'])} / {_f(c['test_rows']['roc_auc'])} |")
    lines += ["", f"The two agree on {100 * comparison['test_agreement']:.2f} % of the test rows (alarm or not).", ""]
    for site in comparison["sites"]:
        lines += [f"### Site export `{site['name']}` ({site['rows']:,} rows; the candidate was fitted on its labelled rows)", "",
                  f"| rows flagged at warning | active {a['version']} | candidate {c['version']} |", "|---|---|---|"]
        for source in ("true-alarm", "false-alarm", "no-alarm", "unjudged-alarm"):
            n = site["active"][source]["rows"]
            lines.append(f"| {source} ({n:,} rows) | {_f(site['active'][source]['flagged'], pct=True)} | {_f(site['candidate'][source]['flagged'], pct=True)} |")
        lines.append("")
    lines += ["Next: `hvs model upload --shadow hazard-model.onnx` runs the candidate in shadow beside the active model on live "
              "readings; promote it only when the shadow comparison agrees with this one.", ""]
    return "\n".join(lines)
