"""Experiment tracking without MLflow: one folder per run plus an index to compare runs.

runs/<run id>/   params.json, split.json, metrics.json, candidates.csv, search.csv, report.md, *.png,
                 hazard-model.onnx, test-vectors.json, MODEL_CARD.md, events-test.csv
runs/index.csv   one line per finished run (appended), newest last
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from typing import Dict, List

import numpy as np

INDEX_FILE = "index.csv"
INDEX_COLUMNS = [
    "run_id", "started_at", "duration_s", "data_hash", "dataset", "quick", "chosen", "model_version",
    "test_event_recall", "test_median_lead_min", "test_p10_lead_min", "test_fa_per_1000_md",
    "rules_event_recall", "rules_median_lead_min", "rules_fa_per_1000_md", "row_pr_auc", "onnx_bytes", "goals_met",
]
BUNDLE_FILES = ["hazard-model.onnx", "MODEL_CARD.md", "test-vectors.json"]


def _default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return None if np.isnan(o) else float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, (dt.datetime, dt.date)):
        return o.isoformat()
    raise TypeError(f"not JSON serializable: {type(o).__name__}")


def dumps(obj) -> str:
    return json.dumps(obj, indent=2, default=_default, allow_nan=False, sort_keys=False) + "\n"


def _clean(obj):
    """NaN -> None so the JSON stays standard."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, float) and obj != obj:
        return None
    if isinstance(obj, np.floating) and np.isnan(obj):
        return None
    return obj


class RunFolder:
    def __init__(self, directory: str):
        self.directory = directory
        self.run_id = os.path.basename(directory)

    @classmethod
    def create(cls, out_dir: str, data_hash: str, started_at: dt.datetime) -> "RunFolder":
        os.makedirs(out_dir, exist_ok=True)
        base = f"{started_at:%Y%m%d-%H%M%S}-{data_hash[:8]}"
        name, i = base, 1
        while os.path.exists(os.path.join(out_dir, name)):
            i += 1
            name = f"{base}-{i}"
        os.makedirs(os.path.join(out_dir, name))
        return cls(os.path.join(out_dir, name))

    def path(self, name: str) -> str:
        return os.path.join(self.directory, name)

    def write_json(self, name: str, obj) -> None:
        with open(self.path(name), "w", encoding="utf-8") as handle:
            handle.write(dumps(_clean(obj)))

    def write_text(self, name: str, text: str) -> None:
        with open(self.path(name), "w", encoding="utf-8") as handle:
            handle.write(text)


def append_index(out_dir: str, run: RunFolder, summary: Dict[str, object], params: Dict[str, object]) -> None:
    h = summary["headline"]
    minutes = lambda s: "" if s is None else f"{s / 60:.2f}"
    row = {
        "run_id": run.run_id, "started_at": run.run_id[:15], "duration_s": summary["duration_s"],
        "data_hash": summary["dataset"]["data_hash"], "dataset": summary["dataset"]["directory"],
        "quick": params.get("quick"), "chosen": summary["chosen"], "model_version": summary["model_version"],
        "test_event_recall": h["event_recall_before_pnr"], "test_median_lead_min": minutes(h["median_lead_s"]),
        "test_p10_lead_min": minutes(h["p10_lead_s"]), "test_fa_per_1000_md": h["fa_per_1000_module_days"],
        "rules_event_recall": h["rules_event_recall"], "rules_median_lead_min": minutes(h["rules_median_lead_s"]),
        "rules_fa_per_1000_md": h["rules_fa_per_1000_module_days"], "row_pr_auc": h["row_pr_auc"],
        "onnx_bytes": summary["onnx_bytes"], "goals_met": all(g["met"] for g in summary["goals"]),
    }
    path = os.path.join(out_dir, INDEX_FILE)
    new = not os.path.exists(path)
    with open(path, "a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=INDEX_COLUMNS)
        if new:
            writer.writeheader()
        writer.writerow(row)


def read_index(out_dir: str) -> List[Dict[str, str]]:
    path = os.path.join(out_dir, INDEX_FILE)
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def resolve(out_dir: str, run: str) -> str:
    """A run folder from a path, a run id, or 'latest'."""
    if os.path.isdir(run):
        return run
    if run == "latest":
        rows = read_index(out_dir)
        if not rows:
            raise FileNotFoundError(f"No runs in {out_dir}.")
        return os.path.join(out_dir, rows[-1]["run_id"])
    candidate = os.path.join(out_dir, run)
    if os.path.isdir(candidate):
        return candidate
    raise FileNotFoundError(f"Run '{run}' not found (as a path or under {out_dir}).")


def promote(run_dir: str, target: str) -> List[str]:
    """Copies the model, model card, test vectors, report and its plots into the bundle folder."""
    missing = [f for f in BUNDLE_FILES + ["report.md"] if not os.path.isfile(os.path.join(run_dir, f))]
    if missing:
        raise FileNotFoundError(f"Run {run_dir} lacks {', '.join(missing)}.")
    os.makedirs(target, exist_ok=True)
    copied = []
    for name in BUNDLE_FILES:
        shutil.copyfile(os.path.join(run_dir, name), os.path.join(target, name))
        copied.append(name)
    shutil.copyfile(os.path.join(run_dir, "report.md"), os.path.join(target, "training-report.md"))
    copied.append("training-report.md")
    for name in sorted(os.listdir(run_dir)):
        if name.endswith(".png") or name in ("anomaly-test-vectors.json", "anomaly-report.md"):
            shutil.copyfile(os.path.join(run_dir, name), os.path.join(target, name))
            copied.append(name)
    return copied
