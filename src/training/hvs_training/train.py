"""The training run: load -> split by scenario -> fit and compare candidates -> choose -> export -> report."""
from __future__ import annotations

import datetime as dt
import json
import os
import time
from typing import Dict, List, Optional

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, confusion_matrix, f1_score, precision_score, recall_score, roc_auc_score

from . import anomaly, baseline, compare, data, events, export_onnx, models, onnx_eval, report, rules_baseline, runs, site_data, split, thresholds

GOALS = {
    "event_recall": 0.99,            # share of runaway modules alarmed before PNR
    "median_lead_s": 600.0,          # median lead time >= 10 min
    "fa_per_1000_module_days": 1.0,  # false alarms on normal + look-alike modules
}
ONNX_SIZE_LIMIT = 2 * 1024 * 1024


def log(msg: str) -> None:
    print(f"[train {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def row_metrics(y: np.ndarray, p: np.ndarray, threshold: float) -> Dict[str, object]:
    pred = (p >= threshold).astype(int)
    both = len(np.unique(y)) == 2
    cm = confusion_matrix(y, pred, labels=[0, 1])
    return {
        "rows": int(len(y)), "positives": int(y.sum()), "threshold": float(threshold),
        "precision": float(precision_score(y, pred, zero_division=0)),
        "recall": float(recall_score(y, pred, zero_division=0)),
        "f1": float(f1_score(y, pred, zero_division=0)),
        "roc_auc": float(roc_auc_score(y, p)) if both else None,
        "pr_auc": float(average_precision_score(y, p)) if both else None,
        "confusion": {"tn": int(cm[0, 0]), "fp": int(cm[0, 1]), "fn": int(cm[1, 0]), "tp": int(cm[1, 1])},
    }


def strip_runs(summary: Dict[str, object]) -> Dict[str, object]:
    return {k: v for k, v in summary.items() if k != "runs"}


def train(data_dir: str, out_dir: str, quick: bool = False, seed: int = 17, n_folds: Optional[int] = None,
          search_iter: Optional[int] = None, max_rows: Optional[int] = None, test_fraction: float = 0.25,
          only: Optional[List[str]] = None, sites: Optional[List[str]] = None, active_model: Optional[str] = None) -> str:
    """Runs the whole pipeline; returns the run folder. sites: site exports mixed into fitting (site_data.py);
    active_model: the ONNX model in use, compared with the candidate on the same rows (compare.py)."""
    started = time.time()
    started_at = dt.datetime.now(dt.timezone.utc)
    n_folds = n_folds or (2 if quick else 4)
    search_iter = search_iter if search_iter is not None else (2 if quick else 6)
    max_rows = max_rows or (20_000 if quick else 150_000)
    params = {"data_dir": os.path.abspath(data_dir), "quick": quick, "seed": seed, "n_folds": n_folds,
              "search_iter": search_iter, "max_train_rows": max_rows, "test_fraction": test_fraction,
              "goals": GOALS, "clear_hold_s": events.CLEAR_HOLD_S, "only": only,
              "sites": [os.path.abspath(d) for d in sites or []], "active_model": os.path.abspath(active_model) if active_model else None}

    log(f"loading {data_dir}")
    ds = data.load_dataset(data_dir, cache_dir=os.path.join(out_dir, ".cache"))
    data.require_trainable(ds)
    site_sets = site_data.load_sites(sites or [], ds)
    if active_model:
        compare.read_model(active_model)  # refuse a model that cannot be compared before hours of training, not after
    ds.data_hash = site_data.combined_hash(ds.data_hash, site_sets)  # the model's version and provenance name the mix
    frame = ds.frame
    log(f"{len(frame):,} rows, {len(ds.scenarios)} scenarios, {int(frame['Hazard_Label'].sum()):,} positive; data {ds.data_hash[:12]}")
    run = runs.RunFolder.create(out_dir, ds.data_hash, started_at)
    run.write_json("params.json", params)

    # --- split by scenario ------------------------------------------------------------------
    train_ids, test_ids = split.holdout_scenarios(ds.scenarios, test_fraction, seed)
    split.check_disjoint(train_ids, test_ids)
    folds = split.scenario_folds(ds.scenarios, train_ids, n_folds, seed)
    sid = frame["Scenario_Id"].astype(str).to_numpy()
    train_rows = np.flatnonzero(np.isin(sid, train_ids))
    test_rows = np.flatnonzero(np.isin(sid, test_ids))
    split.check_disjoint(np.unique(sid[train_rows]), np.unique(sid[test_rows]))
    run.write_json("split.json", {"train": train_ids, "test": test_ids, "folds": folds})
    guard = ds.label_guard_s
    X = ds.features()
    y = frame["Hazard_Label"].to_numpy().astype(np.int8)
    eval_mask = models.meaningful_rows(frame, ds.scenarios, ds.label_window_s, guard)
    fit_rows = models.training_rows(frame, eval_mask, train_ids, max_rows, seed)
    if site_sets:
        X, y, sid, fit_rows = site_data.mix_in(site_sets, X, y, sid, fit_rows)
        log(f"site exports: {', '.join(s.name for s in site_sets)} add {len(X) - len(frame):,} fitted rows ({int(y[len(frame):].sum()):,} positive)")
    log(f"split: {len(train_ids)} train / {len(test_ids)} test scenarios, {n_folds} grouped folds; fitting on {len(fit_rows):,} rows ({int(y[fit_rows].sum()):,} positive)")

    val_index = events.EventIndex(frame.iloc[train_rows], ds.scenarios)
    test_index = events.EventIndex(frame.iloc[test_rows], ds.scenarios)
    pos_in_train = np.full(len(frame), -1, dtype=np.int64)
    pos_in_train[train_rows] = np.arange(len(train_rows))
    fold_fit, fold_val = [], []
    for val_ids in folds:
        in_val = np.isin(sid[fit_rows], val_ids)
        fold_fit.append(fit_rows[~in_val])
        fold_val.append(train_rows[np.isin(sid[train_rows], val_ids)])
        split.check_disjoint(np.unique(sid[fold_fit[-1]]), val_ids)

    # --- candidates ---------------------------------------------------------------------------
    cands = models.candidates(quick)
    search_table = None
    if search_iter > 0 and (only is None or "xgb_search" in only):
        log(f"randomized search, {search_iter} settings x {n_folds} grouped folds")
        cv = []
        for f_rows, val_ids in zip(fold_fit, folds):
            tr = np.searchsorted(fit_rows, f_rows)
            va = np.flatnonzero(np.isin(sid[fit_rows], val_ids))
            cv.append((tr, va))
        best, search_table = models.randomized_search(X[fit_rows], y[fit_rows], cv, search_iter, seed, quick)
        search_table.to_csv(run.path("search.csv"), index=False)
        cands.append(models.searched_candidate(best))
        log(f"search best: {best}")
    if only:
        cands = [c for c in cands if c.name in only or c.name == "rules"]

    fa_goal = GOALS["fa_per_1000_module_days"]
    results: Dict[str, Dict[str, object]] = {}
    fitted = {}
    for cand in cands:
        t0 = time.time()
        if cand.build is None:
            oof = rules_baseline.rule_scores(frame.iloc[train_rows])
            test_scores = rules_baseline.rule_scores(frame.iloc[test_rows])
            chosen = {"k": 1, "watch": 1 / 3, "warning": rules_baseline.WARNING_SCORE, "critical": 1.0}
            model = None
        else:
            oof = np.full(len(train_rows), np.nan)
            for f_rows, v_rows in zip(fold_fit, fold_val):
                m = models.fit(cand, X[f_rows], y[f_rows])
                oof[pos_in_train[v_rows]] = models.predict(m, X[v_rows])
            chosen = thresholds.choose(val_index, oof, fa_goal)
            model = models.fit(cand, X[fit_rows], y[fit_rows])
            test_scores = models.predict(model, X[test_rows])
            fitted[cand.name] = model
        val_ev = val_index.evaluate(oof, chosen["warning"], chosen["k"])
        test_ev = test_index.evaluate(test_scores, chosen["warning"], chosen["k"])
        test_ev_k1 = test_index.evaluate(test_scores, chosen["warning"], 1)
        vm, tm = eval_mask[train_rows], eval_mask[test_rows]
        res = {
            "name": cand.name, "description": cand.description, "exportable": cand.exportable,
            "thresholds": {k: chosen[k] for k in ("watch", "warning", "critical")}, "k": chosen["k"],
            "threshold_choice": {k: v for k, v in chosen.items() if k not in ("sweep",)},
            "validation": {"events": strip_runs(val_ev), "rows": row_metrics(y[train_rows][vm], oof[vm], chosen["warning"])},
            "test": {"events": strip_runs(test_ev), "events_k1": strip_runs(test_ev_k1),
                     "rows": row_metrics(y[test_rows][tm], test_scores[tm], chosen["warning"])},
            "seconds": round(time.time() - t0, 1),
        }
        res["_test_runs"] = test_ev["runs"]
        res["_test_scores"] = test_scores
        res["_val_scores"] = oof
        results[cand.name] = res
        te = res["test"]["events"]
        log(f"{cand.name}: val recall {res['validation']['events']['event_recall']:.3f} | test recall {te['event_recall']:.3f}, "
            f"median lead {(te['median_lead_s'] or 0) / 60:.1f} min, FA/1000md {te['fa_per_1000_module_days']}, "
            f"thr {chosen['warning']:.4g} k={chosen['k']} ({res['seconds']} s)")

    # --- choose on validation -----------------------------------------------------------------
    def key(name):
        v = results[name]["validation"]
        ev = v["events"]
        return (ev["event_recall"] or 0.0,
                -(ev["fa_per_1000_module_days"] or 0.0) if (ev["fa_per_1000_module_days"] or 0) > fa_goal else 0.0,
                (ev["median_lead_s"] or 0.0) // 60, v["rows"]["pr_auc"] or 0.0)
    exportable = [n for n, r in results.items() if r["exportable"]]
    if not exportable:
        raise RuntimeError("No exportable candidate was trained.")
    best_name = max(exportable, key=key)
    best = results[best_name]
    log(f"chosen on validation: {best_name}")
    model = fitted[best_name]

    # --- as deployed: the silo alarms when the model (k = 1) OR the rules reach Warning ------------
    def deployed(index, p, rows):
        rules_alarm = rules_baseline.rule_levels(frame.iloc[rows]) >= rules_baseline.WARNING_LEVEL
        combined = np.maximum((p >= best["thresholds"]["warning"]).astype(float), rules_alarm.astype(float))
        return strip_runs(index.evaluate(combined, 0.5, 1))
    deployed_figures = {"validation": deployed(val_index, best["_val_scores"], train_rows),
                        "test": deployed(test_index, best["_test_scores"], test_rows)}
    dte = deployed_figures["test"]
    log(f"deployed ({best_name} k=1 OR rules): test recall {dte['event_recall']:.3f}, median lead {(dte['median_lead_s'] or 0) / 60:.1f} min, "
        f"FA/1000md {dte['fa_per_1000_module_days']}")

    # --- export + test vectors -----------------------------------------------------------------
    trained_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    family = "xgb" if best_name.startswith("xgb") else best_name
    version = f"{trained_at:%Y.%m.%d}-{family}-{ds.data_hash[:8]}"
    te = best["test"]["events"]
    headline = {
        "split": "held-out test scenarios",
        "event_recall_before_pnr": te["event_recall"], "runaway_modules": te["runaway_modules"],
        "median_lead_s": te["median_lead_s"], "p10_lead_s": te["p10_lead_s"],
        "fa_per_1000_module_days": te["fa_per_1000_module_days"], "benign_module_days": te["benign_module_days"],
        "alarm_consecutive_readings": best["k"],
        "row_pr_auc": best["test"]["rows"]["pr_auc"], "row_roc_auc": best["test"]["rows"]["roc_auc"],
        "rules_event_recall": results["rules"]["test"]["events"]["event_recall"],
        "rules_median_lead_s": results["rules"]["test"]["events"]["median_lead_s"],
        "rules_fa_per_1000_module_days": results["rules"]["test"]["events"]["fa_per_1000_module_days"],
    }
    th = {k: round(float(v), 6) for k, v in best["thresholds"].items()}
    metadata = {
        "hvs.feature_schema_version": ds.schema_version,
        "hvs.feature_schema_hash": ds.schema_hash,
        "hvs.feature_names": json.dumps(ds.feature_names),
        "hvs.model_version": version,
        "hvs.training_data_hash": ds.data_hash,
        "hvs.thresholds": json.dumps(th),
        "hvs.metrics": json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in headline.items()}),
        "hvs.trained_at": trained_at.isoformat().replace("+00:00", "Z"),
        # The drift watch's reference: binned features of the normal-operation rows (baseline.py).
        baseline.METADATA_KEY: json.dumps(baseline.compute(ds), separators=(",", ":")),
    }
    onnx_model = export_onnx.export(model, len(ds.feature_names), metadata,
                                    doc=f"HvsGrains runaway hazard model {version}: {best['description']}")
    anomaly_result = anomaly.add_to_run(onnx_model, ds, seed, run)  # the advisory score beside the hazard trees
    onnx_model = anomaly_result.model
    size = export_onnx.save(onnx_model, run.path("hazard-model.onnx"))
    log(f"exported {version}: {size / 1024:.0f} KiB")
    if size > ONNX_SIZE_LIMIT:
        log(f"WARNING: the ONNX file is over {ONNX_SIZE_LIMIT} bytes")
    vectors = test_vectors(frame, X, test_rows, best["_test_scores"], model, onnx_model, ds, version, seed)
    run.write_json("test-vectors.json", vectors)

    # --- report ------------------------------------------------------------------------------
    importance = models.feature_importance(model, ds.feature_names)
    summary = {
        "run_id": run.run_id, "model_version": version, "chosen": best_name, "onnx_bytes": size,
        "metadata_keys": sorted(metadata), "thresholds": th, "k": best["k"], "headline": headline,
        "goals": report.goal_table(te, results["rules"]["test"]["events"], GOALS),
        "dataset": dataset_summary(ds, train_ids, test_ids),
        "deployed": deployed_figures,
        "candidates": {n: {k: v for k, v in r.items() if not k.startswith("_")} for n, r in results.items()},
        "duration_s": round(time.time() - started, 1),
        "search": search_table.head(10).to_dict("records") if search_table is not None else None,
        "feature_importance_top": importance.head(20).round(5).to_dict() if importance is not None else None,
    }
    summary["sites"] = [s.describe() for s in site_sets]
    comparison = None
    if active_model:
        comparison = compare.compare_models(active_model, {"version": version, "thresholds": th, "onnx": onnx_model, "test_scores": best["_test_scores"]},
                                            X, y, test_rows, eval_mask, test_index, len(test_ids), site_sets, ds.schema_hash)
        summary["comparison"] = comparison
        run.write_json("comparison.json", comparison)
    report.write_all(run, summary, results, best_name, y[test_rows][eval_mask[test_rows]], eval_mask[test_rows], importance, ds)
    if comparison:
        run.write_text("report.md", open(run.path("report.md"), encoding="utf-8").read().rstrip("\n") + "\n\n" + compare.render(comparison))
    anomaly.update_card(run.path("MODEL_CARD.md"), anomaly_result)
    summary["duration_s"] = round(time.time() - started, 1)
    run.write_json("metrics.json", summary)
    runs.append_index(out_dir, run, summary, params)
    log(f"run {run.run_id} done in {summary['duration_s']:.0f} s -> {run.directory}")
    return run.directory


def dataset_summary(ds: data.Dataset, train_ids, test_ids) -> Dict[str, object]:
    m = ds.manifest
    sc = ds.scenarios
    def count(ids):
        s = sc.loc[list(ids)]
        return {"scenarios": int(len(s)), "fault_scenarios": int((~s["Is_Benign"]).sum()),
                "runaway_scenarios": int(s["Has_Pnr"].sum()), "benign_scenarios": int(s["Is_Benign"].sum()),
                "benign_module_days": float((s.loc[s["Is_Benign"], "Duration_s"] * s.loc[s["Is_Benign"], "Module_Count"]).sum() / 86400)}
    return {
        "directory": os.path.abspath(ds.directory), "data_hash": ds.data_hash,
        "generator": f"{m.get('generator', '?')} {m.get('generatorVersion', '?')}", "command": m.get("commandLine"),
        "selection": m.get("selection"), "seed": m.get("seed"), "rows": int(len(ds.frame)),
        "positives": int(ds.frame["Hazard_Label"].sum()), "module_days": m.get("moduleDays"),
        "sample_interval_s": ds.sample_interval_s, "thin": ds.thin,
        "label_window_s": ds.label_window_s, "label_guard_s": ds.label_guard_s,
        "feature_schema": {"version": ds.schema_version, "hash": ds.schema_hash, "count": len(ds.feature_names)},
        "train": count(train_ids), "test": count(test_ids),
    }


def test_vectors(frame, X, test_rows, scores, model, onnx_model, ds, version, seed, n=200) -> Dict[str, object]:
    """~n test rows: in-window positives, the highest-scoring negatives, and a random spread; with the
    Python model's probabilities (and the numpy ONNX evaluation, which must agree)."""
    rng = np.random.default_rng(seed)
    y = frame["Hazard_Label"].to_numpy()[test_rows]
    pos = np.flatnonzero(y == 1)
    neg = np.flatnonzero(y == 0)
    pick = list(rng.choice(pos, size=min(len(pos), n // 3), replace=False)) if len(pos) else []
    top_neg = neg[np.argsort(-scores[neg])[: n // 6]]
    pick += list(top_neg)
    rest = np.setdiff1d(np.arange(len(test_rows)), pick)
    pick += list(rng.choice(rest, size=min(len(rest), n - len(pick)), replace=False))
    pick = np.sort(np.asarray(pick, dtype=np.int64))
    rows = test_rows[pick]
    Xv = X[rows]
    py = models.predict(model, Xv)
    ox = onnx_eval.probabilities(onnx_model, Xv)
    worst = float(np.max(np.abs(py - ox))) if len(py) else 0.0
    if worst > 1e-5:
        raise AssertionError(f"ONNX export differs from the Python model by {worst}")
    sub = frame.iloc[rows]
    return {
        "model_version": version, "feature_schema_version": ds.schema_version, "feature_schema_hash": ds.schema_hash,
        "feature_names": ds.feature_names, "input_name": export_onnx.INPUT_NAME, "output_name": export_onnx.OUTPUT_NAME,
        "tolerance": 1e-5, "max_abs_difference_numpy_onnx": worst, "count": int(len(rows)),
        "inputs": [[float(v) for v in r] for r in Xv],
        "probabilities": [float(p) for p in py],
        "labels": [int(v) for v in sub["Hazard_Label"]],
        "scenario_ids": [str(v) for v in sub["Scenario_Id"]],
        "module_ids": [str(v) for v in sub["Module_ID"]],
    }
