"""Anomaly score: an Isolation Forest trained on normal operation, added to the hazard model's graph.

The score flags patterns no fault label covers (a stuck or drifting thermistor, a module unlike any
normal one). It is an advisory in the silo, never a hazard level or an alarm. The forest looks at 19 inputs
derived from the features in the graph (anomaly_inputs.py says which and why).

Two things an Isolation Forest does not do by itself, and what is done about them:
- It does not extrapolate: a value beyond the range of the normal rows follows the most extreme normal row, so a
  thermistor reading 20 °C too warm scores like the warmest normal module. The fit adds reference points drawn
  uniformly from a box around normal operation (the movement ratios over their whole [0, 1), every other input
  one normal range beyond each side), REFERENCE_SHARE of the fit rows, so the space outside normal operation is
  sparse, not empty, and a reading there is isolated in few splits.
- A module's first readings have windows of one or two samples (standard deviation 0, like a frozen sensor). Only
  warm rows count: WARM_UP_S after the module's first reading, when the longest (10-minute) window is full. The
  silo judges the score from the same moment (ModuleFeatureState.IsWarm).

Rows it learns from ("normal operation"): every row of the scenarios in which every module is healthy
(no fault, or a site condition only: high load, a summer afternoon, an HVAC failure) and the rows of every
other scenario before its fault or look-alike starts. Never a labelled row, a developing fault, a defect
look-alike's period (sensor fault, cell imbalance, external gas: patterns the score should flag) or a
neighbour after a fault started (its air and gas are the faulted module's).

Graph (added beside the hazard trees, which are not touched):
  features -> TreeEnsembleRegressor (AVERAGE of leaf values = E[h(x)]) -> Mul(-ln 2 / c(psi)) -> Exp -> anomaly_score [N, 1]
A leaf's value is its depth plus c(n), n = the training samples that reached it, exactly as sklearn's
score_samples counts a path; c is sklearn's _average_path_length. So anomaly_score = 2^(-E[h(x)]/c(psi))
= -score_samples(x), in (0, 1], higher = more anomalous. sklearn casts X to float32 and compares it with
float64 thresholds (x <= t); the float32 thresholds are rounded down as for the random forest export,
which gives the same branch for every float32 input.
"""
from __future__ import annotations

import dataclasses
import json
import math
import os
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import onnx
import pandas as pd
from onnx import TensorProto, helper, numpy_helper
from sklearn.ensemble import IsolationForest

from . import anomaly_inputs, data, export_onnx, onnx_eval, split

OUTPUT_NAME = "anomaly_score"
METADATA_KEY = "hvs.anomaly"
NODE_PREFIX = "anomaly_"            # every node and initializer this module adds; stripped on replace
TREES = 100
MAX_SAMPLES = 256                   # sklearn's "auto": the paper's psi
TARGET_FALSE_ADVISORY_RATE = 1e-4   # share of normal validation readings at or above the threshold
MAX_FIT_ROWS = 300_000
VECTORS_FILE = "anomaly-test-vectors.json"
REPORT_FILE = "anomaly-report.md"
TOLERANCE = 1e-5
WARM_UP_S = 600.0                   # the longest feature window (FeatureLayout.Windows): 10 minutes
REFERENCE_SHARE = 0.04              # reference points per fit row (see the module doc)
# The simulator's sensor defects, by the SensorFault scenario's severity (SensorFaultKind).
SENSOR_FAULT_KINDS = {1: "stuck thermistors", 2: "drifting thermistors (+3 K/h)", 3: "EMI spikes", 4: "dropped frames", 5: "outliers"}
# Scenario kinds in which every module is healthy: the site's conditions, not a module's defect.
NORMAL_CONDITIONS = ("None", "HighLoad", "SummerAfternoon", "HvacFailure")
TRAINED_ON = ("normal operation: every row of scenarios with healthy modules (" + ", ".join(NORMAL_CONDITIONS) + "), and rows of "
              "the other scenarios before their fault or look-alike starts")


# --- rows --------------------------------------------------------------------------------------------

def fault_start_times(frame: pd.DataFrame, scenarios: pd.DataFrame) -> np.ndarray:
    """Per row: the absolute time (s) its scenario's fault or defect look-alike starts (NaN for healthy-module conditions)."""
    sid = frame["Scenario_Id"].astype(str)
    start = sid.map(scenarios["Start"].map(lambda s: s.value / 1e9 if pd.notna(s) else np.nan)).to_numpy(dtype=np.float64)
    offset = sid.map(scenarios["Fault_Start_s"]).to_numpy(dtype=np.float64)
    none = sid.map(scenarios["Fault_Type"].astype(str).isin(NORMAL_CONDITIONS)).to_numpy(dtype=bool)
    return np.where(none, np.nan, start + offset)


def normal_rows(frame: pd.DataFrame, scenarios: pd.DataFrame) -> np.ndarray:
    """Mask of rows that show normal operation (see the module doc)."""
    t = frame["Time_s"].to_numpy(dtype=np.float64)
    starts = fault_start_times(frame, scenarios)
    label = frame["Hazard_Label"].to_numpy()
    return (np.isnan(starts) | (t < starts)) & (label == 0)


def warm_rows(frame: pd.DataFrame) -> np.ndarray:
    """Mask of rows at least WARM_UP_S after their module's first row in the same scenario (windows full)."""
    t = frame["Time_s"].to_numpy(dtype=np.float64)
    first = frame.groupby([frame["Scenario_Id"].astype(str), frame["Module_ID"].astype(str)])["Time_s"].transform("min")
    return t - first.to_numpy(dtype=np.float64) >= WARM_UP_S


def row_kinds(frame: pd.DataFrame, scenarios: pd.DataFrame) -> np.ndarray:
    """Per row, for the report: normal, lookalike (the look-alike module during its look-alike),
    fault (the faulted module of a fault scenario, fault start to PNR), or other (neighbours after a fault started, burning racks)."""
    t = frame["Time_s"].to_numpy(dtype=np.float64)
    starts = fault_start_times(frame, scenarios)
    normal = normal_rows(frame, scenarios)
    after = ~np.isnan(starts) & (t >= starts)
    faulty = frame["Is_Fault_Module"].to_numpy() == 1
    benign = frame["Is_Benign"].to_numpy() == 1
    ttp = frame["Time_To_PNR_s"].to_numpy(dtype=np.float64)
    kinds = np.full(len(frame), "other", dtype=object)
    kinds[normal] = "normal"
    kinds[after & faulty & benign] = "lookalike"
    kinds[after & faulty & ~benign & (np.isnan(ttp) | (ttp > 0))] = "fault"
    return kinds


@dataclasses.dataclass
class Split:
    fit: List[str]
    validation: List[str]
    test: List[str]


def scenario_split(scenarios: pd.DataFrame, seed: int, test_fraction: float = 0.25) -> Split:
    """The hazard pipeline's held-out test scenarios; a stratified quarter of the rest picks the threshold."""
    train_ids, test_ids = split.holdout_scenarios(scenarios, test_fraction, seed)
    fit_ids, val_ids = split.holdout_scenarios(scenarios.loc[train_ids], 0.25, seed + 1)
    for a, b in ((fit_ids, val_ids), (fit_ids, test_ids), (val_ids, test_ids)):
        split.check_disjoint(a, b)
    return Split(fit_ids, val_ids, test_ids)


# --- the forest and its exact scores -----------------------------------------------------------------

def average_path_length(n) -> np.ndarray:
    """c(n): sklearn's _average_path_length (0 for n <= 1, 1 for n = 2)."""
    n = np.asarray(n, dtype=np.float64)
    out = np.zeros_like(n)
    out[n == 2] = 1.0
    big = n > 2
    out[big] = 2.0 * (np.log(n[big] - 1.0) + np.euler_gamma) - 2.0 * (n[big] - 1.0) / n[big]
    return out


def reference_points(F: np.ndarray, bounded: np.ndarray, seed: int, share: float = REFERENCE_SHARE) -> np.ndarray:
    """Points drawn uniformly from a box around the normal rows F (see the module doc)."""
    lo, hi = F.min(axis=0).astype(np.float64), F.max(axis=0).astype(np.float64)
    span = hi - lo
    lo, hi = np.where(bounded, 0.0, lo - span), np.where(bounded, 1.0, hi + span)
    rng = np.random.default_rng(seed)
    return rng.uniform(lo, hi, size=(int(round(share * len(F))), F.shape[1])).astype(np.float32)


def fit(F: np.ndarray, seed: int, trees: int = TREES, max_samples: int = MAX_SAMPLES,
        bounded: Optional[np.ndarray] = None, share: float = REFERENCE_SHARE) -> IsolationForest:
    """The forest on normal rows F plus the reference points (none when share is 0)."""
    F = np.asarray(F, dtype=np.float32)
    if share > 0:
        F = np.vstack([F, reference_points(F, np.zeros(F.shape[1], bool) if bounded is None else bounded, seed, share)])
    return IsolationForest(n_estimators=trees, max_samples=max_samples, random_state=seed, n_jobs=1).fit(F)


def scores(forest: IsolationForest, X: np.ndarray) -> np.ndarray:
    """The contract's anomaly score: -score_samples, in (0, 1], higher = more anomalous."""
    return -forest.score_samples(np.asarray(X, dtype=np.float32))


def forest_trees(forest: IsolationForest) -> export_onnx.Trees:
    """The forest's trees with leaf value depth + c(n_samples at the leaf), features mapped back to the input's."""
    trees = export_onnx.Trees()
    for t, (est, features) in enumerate(zip(forest.estimators_, forest.estimators_features_)):
        tr = est.tree_
        depth = np.zeros(tr.node_count, dtype=np.int64)
        for n in range(tr.node_count):  # children always come after their parent in sklearn's arrays
            if tr.children_left[n] != -1:
                depth[tr.children_left[n]] = depth[tr.children_right[n]] = depth[n] + 1
        leaf_c = average_path_length(tr.n_node_samples)
        for n in range(tr.node_count):
            if tr.children_left[n] == -1:
                trees.add_leaf(t, n, depth[n] + leaf_c[n])
            else:
                trees.add_branch(t, n, features[tr.feature[n]], "BRANCH_LEQ", export_onnx._round_down_f32(tr.threshold[n]),
                                 tr.children_left[n], tr.children_right[n], False)
    return trees


# --- the graph ---------------------------------------------------------------------------------------

def strip(model: onnx.ModelProto) -> onnx.ModelProto:
    """A copy without the anomaly nodes, initializers, output and metadata (the hazard part untouched)."""
    out = onnx.ModelProto()
    out.CopyFrom(model)
    g = out.graph
    keep_nodes = [n for n in g.node if not n.name.startswith(NODE_PREFIX)]
    keep_init = [i for i in g.initializer if not i.name.startswith(NODE_PREFIX)]
    keep_out = [o for o in g.output if o.name != OUTPUT_NAME]
    keep_meta = [(p.key, p.value) for p in out.metadata_props if p.key != METADATA_KEY]
    del g.node[:]; g.node.extend(keep_nodes)
    del g.initializer[:]; g.initializer.extend(keep_init)
    del g.output[:]; g.output.extend(keep_out)
    del out.metadata_props[:]
    for key, value in keep_meta:
        entry = out.metadata_props.add()
        entry.key, entry.value = key, value
    return out


def attach(model: onnx.ModelProto, forest: IsolationForest, settings: Dict[str, object],
           feature_names: Optional[Sequence[str]] = None) -> onnx.ModelProto:
    """The hazard model plus the anomaly_score output and the hvs.anomaly metadata (replacing any earlier ones).
    With feature_names the forest reads anomaly_inputs.derive() of the model's input, computed in the graph;
    without, it reads the model's input as it is."""
    out = strip(model)
    g = out.graph
    forest_input = g.input[0].name
    if feature_names is not None:
        forest_input = NODE_PREFIX + "inputs"
        nodes, initializers = anomaly_inputs.graph_part(g.input[0].name, feature_names, NODE_PREFIX, forest_input)
        g.node.extend(nodes)
        g.initializer.extend(initializers)
    trees = forest_trees(forest)
    psi = int(forest.max_samples_)
    mean_path = NODE_PREFIX + "mean_path"
    g.node.extend([
        helper.make_node(
            "TreeEnsembleRegressor", [forest_input], [mean_path], domain="ai.onnx.ml", name=NODE_PREFIX + "trees",
            n_targets=1, aggregate_function="AVERAGE", post_transform="NONE", base_values=[0.0],
            nodes_treeids=trees.treeids, nodes_nodeids=trees.nodeids, nodes_featureids=trees.featureids,
            nodes_modes=trees.modes, nodes_values=trees.values, nodes_truenodeids=trees.truenodeids,
            nodes_falsenodeids=trees.falsenodeids, nodes_missing_value_tracks_true=trees.missing_true,
            target_treeids=trees.target_treeids, target_nodeids=trees.target_nodeids,
            target_ids=[0] * len(trees.target_treeids), target_weights=trees.target_weights),
        helper.make_node("Mul", [mean_path, NODE_PREFIX + "scale"], [NODE_PREFIX + "exponent"], name=NODE_PREFIX + "scale"),
        helper.make_node("Exp", [NODE_PREFIX + "exponent"], [OUTPUT_NAME], name=NODE_PREFIX + "score"),
    ])
    # 2^(-h/c) = exp(-h ln2 / c); c(psi) > 0 for psi >= 2.
    scale = -math.log(2.0) / float(average_path_length([psi])[0])
    g.initializer.append(numpy_helper.from_array(np.asarray([scale], dtype=np.float32), NODE_PREFIX + "scale"))
    g.output.append(helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", 1]))
    entry = out.metadata_props.add()
    entry.key, entry.value = METADATA_KEY, json.dumps(settings)
    onnx.checker.check_model(out)
    return out


def onnx_scores(model, X: np.ndarray) -> np.ndarray:
    return onnx_eval.run(model, X)[OUTPUT_NAME][:, 0].astype(np.float64)


# --- threshold, figures, vectors ---------------------------------------------------------------------

def choose_threshold(normal_scores: np.ndarray, rate: float = TARGET_FALSE_ADVISORY_RATE) -> float:
    """The lowest score on a 1e-4 grid at or above which at most `rate` of the normal validation readings lie."""
    s = np.sort(np.asarray(normal_scores, dtype=np.float64))
    if len(s) == 0:
        raise ValueError("No normal validation rows to choose the anomaly threshold on.")
    allowed = int(math.floor(rate * len(s)))
    below = s[len(s) - allowed - 1]  # the highest score that must stay below the threshold
    threshold = (math.floor(round(below * 1e4, 6)) + 1) / 1e4
    while (s >= threshold).sum() > allowed:  # guards the grid against float rounding
        threshold += 1e-4
    return round(min(threshold, 1.0), 4)


def firing(scores_: np.ndarray, kinds: np.ndarray, frame: pd.DataFrame, threshold: float) -> Dict[str, Dict[str, object]]:
    """Per row kind: rows, share at or above the threshold, and modules (scenario x module) with any such row."""
    out = {}
    module = frame["Scenario_Id"].astype(str).to_numpy() + "/" + frame["Module_ID"].astype(str).to_numpy()
    for kind in ("normal", "lookalike", "fault", "other"):
        sel = kinds == kind
        if not sel.any():
            continue
        hit = scores_[sel] >= threshold
        mods = np.unique(module[sel])
        fired = np.unique(module[sel][hit])
        out[kind] = {"rows": int(sel.sum()), "rows_fired": int(hit.sum()), "share_fired": round(float(hit.mean()), 6),
                     "modules": int(len(mods)), "modules_fired": int(len(fired)),
                     "median_score": round(float(np.median(scores_[sel])), 4)}
    return out


def by_type(scores_: np.ndarray, kinds: np.ndarray, frame: pd.DataFrame, threshold: float, kind: str) -> Dict[str, Dict[str, object]]:
    sel = kinds == kind
    out = {}
    fault_type = frame["Fault_Type"].astype(str).to_numpy()
    for ft in sorted(set(fault_type[sel])):
        s = sel & (fault_type == ft)
        out[ft] = {"rows": int(s.sum()), "share_fired": round(float((scores_[s] >= threshold).mean()), 4)}
    return out


def test_vectors(forest, model, X: np.ndarray, kinds: np.ndarray, scores_: np.ndarray, seed: int, feature_names: Sequence[str],
                 n: int = 200) -> Dict[str, object]:
    """~n held-out feature rows: normal ones, look-alikes and faults, and the highest scores; with sklearn's score of
    their derived inputs and the numpy evaluation of the exported graph (which must agree within TOLERANCE)."""
    rng = np.random.default_rng(seed)
    pick: List[int] = []
    for kind, share in (("lookalike", 4), ("fault", 4)):
        idx = np.flatnonzero(kinds == kind)
        pick += list(rng.choice(idx, size=min(len(idx), n // share), replace=False)) if len(idx) else []
    pick += list(np.argsort(-scores_)[: n // 8])
    rest = np.setdiff1d(np.flatnonzero(kinds == "normal"), pick)
    pick += list(rng.choice(rest, size=min(len(rest), n - len(set(pick))), replace=False))
    pick = np.unique(np.asarray(pick, dtype=np.int64))
    Xv = X[pick]
    py = scores(forest, anomaly_inputs.derive(Xv, feature_names))
    ox = onnx_scores(model, Xv)
    worst = float(np.max(np.abs(py - ox))) if len(py) else 0.0
    if worst > TOLERANCE:
        raise AssertionError(f"The exported anomaly score differs from sklearn's by {worst}")
    return {"output_name": OUTPUT_NAME, "tolerance": TOLERANCE, "max_abs_difference_numpy_onnx": worst, "count": int(len(pick)),
            "inputs": [[float(v) for v in r] for r in Xv], "scores": [float(s) for s in py],
            "kinds": [str(k) for k in kinds[pick]]}


@dataclasses.dataclass
class Result:
    model: onnx.ModelProto
    settings: Dict[str, object]
    figures: Dict[str, object]
    vectors: Dict[str, object]


def sensor_faults(scores_: np.ndarray, frame: pd.DataFrame, scenarios: pd.DataFrame, kinds: np.ndarray, warm: np.ndarray,
                  threshold: float) -> Dict[str, Dict[str, object]]:
    """Per simulated sensor defect, over every scenario (no defect row is fitted on or chooses the threshold): the share
    of the defective module's warm rows that reach the threshold, and minutes from the defect's start to the first."""
    sel = (kinds == "lookalike") & warm & (frame["Fault_Type"].astype(str).to_numpy() == "SensorFault")
    severity = frame["Severity"].to_numpy()
    module = frame["Scenario_Id"].astype(str).to_numpy() + "/" + frame["Module_ID"].astype(str).to_numpy()
    t = frame["Time_s"].to_numpy(dtype=np.float64)
    start = fault_start_times(frame, scenarios)
    out = {}
    for level, name in SENSOR_FAULT_KINDS.items():
        s = sel & (severity == level)
        if not s.any():
            continue
        hit = s & (scores_ >= threshold)
        firsts = [(t[hit & (module == m)].min() - start[hit & (module == m)][0]) / 60.0 for m in np.unique(module[hit])]
        out[name] = {"rows": int(s.sum()), "share_fired": round(float(hit.sum() / s.sum()), 4),
                     "modules": int(len(np.unique(module[s]))), "modules_fired": int(len(firsts)),
                     "median_minutes_to_first": round(float(np.median(firsts)), 1) if firsts else None}
    return out


def build(model: onnx.ModelProto, ds: data.Dataset, seed: int = 17, trees: int = TREES, max_samples: int = MAX_SAMPLES,
          rate: float = TARGET_FALSE_ADVISORY_RATE) -> Result:
    """Fits on the fit scenarios' warm normal rows, chooses the threshold on the validation scenarios' warm normal rows,
    measures on warm rows of the held-out test scenarios, and attaches the forest to the model."""
    frame = ds.frame
    names = json.loads(export_onnx.metadata_of(model).get("hvs.feature_names", "null") or "null")
    if names is not None and names != ds.feature_names:
        raise data.DatasetError("The dataset's features are not the model's (hvs.feature_names differs).")
    parts = scenario_split(ds.scenarios, seed)
    sid = frame["Scenario_Id"].astype(str).to_numpy()
    normal = normal_rows(frame, ds.scenarios)
    warm = warm_rows(frame)
    kinds = row_kinds(frame, ds.scenarios)
    fit_rows = np.flatnonzero(normal & warm & np.isin(sid, parts.fit))
    if len(fit_rows) > MAX_FIT_ROWS:
        fit_rows = np.sort(np.random.default_rng(seed).choice(fit_rows, size=MAX_FIT_ROWS, replace=False))
    X = ds.features()
    F = anomaly_inputs.derive(X, ds.feature_names)
    forest = fit(F[fit_rows], seed, trees, max_samples, anomaly_inputs.bounded())
    all_scores = scores(forest, F)
    val_rows = np.flatnonzero(np.isin(sid, parts.validation) & warm)
    val_scores = all_scores[val_rows]  # the normal ones choose the threshold, all are reported
    threshold = choose_threshold(val_scores[normal[val_rows]], rate)
    settings = {"threshold": threshold, "trees": int(len(forest.estimators_)), "max_samples": int(forest.max_samples_),
                "trained_on": f"{TRAINED_ON} ({len(fit_rows):,} warm rows of {len(parts.fit)} scenarios, and "
                              f"{REFERENCE_SHARE:.0%} reference points around them)"}
    out = attach(model, forest, settings, ds.feature_names)
    test_rows = np.flatnonzero(np.isin(sid, parts.test) & warm)
    test_scores = all_scores[test_rows]
    figures = {
        "seed": seed, "target_false_advisory_rate": rate, "threshold": threshold,
        "fit_rows": int(len(fit_rows)), "scenarios": {"fit": len(parts.fit), "validation": len(parts.validation), "test": len(parts.test)},
        "validation": firing(val_scores, kinds[val_rows], frame.iloc[val_rows], threshold),
        "test": firing(test_scores, kinds[test_rows], frame.iloc[test_rows], threshold),
        "test_normal_by_type": by_type(test_scores, kinds[test_rows], frame.iloc[test_rows], threshold, "normal"),
        "test_lookalike_by_type": by_type(test_scores, kinds[test_rows], frame.iloc[test_rows], threshold, "lookalike"),
        "test_fault_by_type": by_type(test_scores, kinds[test_rows], frame.iloc[test_rows], threshold, "fault"),
        "sensor_faults": sensor_faults(all_scores, frame, ds.scenarios, kinds, warm, threshold),
        "warm_up_s": WARM_UP_S, "inputs": anomaly_inputs.names(),
        "thin": ds.thin, "data_hash": ds.data_hash, "dataset_command": ds.manifest.get("commandLine"),
    }
    vectors = test_vectors(forest, out, X[test_rows], kinds[test_rows], test_scores, seed, ds.feature_names)
    vectors.update({"feature_names": ds.feature_names, "threshold": threshold,
                    "model_version": export_onnx.metadata_of(out).get("hvs.model_version")})
    return Result(out, settings, figures, vectors)


def report(result: Result, command: str) -> str:
    f = result.figures
    lines = [
        "# Anomaly score: Isolation Forest on normal operation",
        "",
        f"Produced by `{command}` in `src/training` (seed {f['seed']}), on the dataset written by "
        f"`{f.get('dataset_command') or '?'}` (data hash {f['data_hash'][:12]}, healthy rows thinned 1 in {f['thin']}).",
        "",
        f"- Model: scikit-learn IsolationForest, {result.settings['trees']} trees, max_samples {result.settings['max_samples']}, "
        f"on {len(f['inputs'])} inputs derived in the graph from the {len(result.vectors['feature_names'])} features "
        "(`hvs_training/anomaly_inputs.py`: how much each temperature moves, how far the surface sits above the air, what "
        f"the module is doing), exported as output `{OUTPUT_NAME}` of the hazard model "
        "(2^(-E[h(x)]/c(psi)), = -score_samples; higher = more anomalous). The hazard trees are unchanged.",
        f"- Warm rows only: every figure below counts readings at least {f['warm_up_s']:.0f} s after the module's first "
        "(its 10-minute window full); the silo judges the score from the same moment.",
        f"- Trained on: {result.settings['trained_on']}.",
        f"- Scenarios: {f['scenarios']['fit']} fit, {f['scenarios']['validation']} validation (threshold), "
        f"{f['scenarios']['test']} held-out test (the hazard pipeline's test scenarios).",
        f"- Threshold: **{f['threshold']}**, the lowest score reached by at most {f['target_false_advisory_rate']:.2%} of "
        "the validation scenarios' normal readings.",
        "",
        "Sensor defects (every scenario's defective module after its defect starts; none of these rows was fitted on "
        "or chose the threshold):",
        "",
        "| defect | readings | share at or above the threshold | modules | modules flagged | median minutes to the first |",
        "|---|---|---|---|---|---|",
        *[f"| {name} | {v['rows']:,} | {v['share_fired']:.2%} | {v['modules']} | {v['modules_fired']} | "
          f"{'-' if v['median_minutes_to_first'] is None else v['median_minutes_to_first']} |" for name, v in f["sensor_faults"].items()],
        "",
        "Spikes, dropped frames and outliers are cleaned before the features (spike clipping, forward fill), so the score "
        "is not meant to see them; the sensor-fault tracker in the module grain reports them.",
        "",
        "Readings at or above the threshold (an advisory in the silo, never a hazard level or an alarm):",
        "",
        "| split | rows | count | fired | share | modules | modules fired | median score |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for part in ("validation", "test"):
        for kind, v in f[part].items():
            lines.append(f"| {part} | {kind} | {v['rows']:,} | {v['rows_fired']:,} | {v['share_fired']:.4%} | {v['modules']} | "
                         f"{v['modules_fired']} | {v['median_score']} |")
    lines += ["", "Held-out test rows by scenario kind (normal: whole healthy scenarios and pre-fault rows; look-alike and fault: "
              "the defective module after its defect starts):", "", "| rows | scenario kind | rows | share fired |", "|---|---|---|---|"]
    for part in ("normal", "lookalike", "fault"):
        for kind, v in f[f"test_{part}_by_type"].items():
            lines.append(f"| {part} | {kind} | {v['rows']:,} | {v['share_fired']:.2%} |")
    lines += ["", "Row kinds: *normal* = healthy modules (what it was trained on, in other scenarios); *lookalike* = the "
              "look-alike module of a defect look-alike after it starts (sensor fault, cell imbalance, external gas); *fault* = "
              "the faulted module of a fault scenario from fault start to PNR; *other* = neighbours after a fault started and "
              "burning racks.", ""]
    return "\n".join(lines)


CARD_FILE = "MODEL_CARD.md"
CARD_BEGIN, CARD_END = "<!-- hvs:anomaly -->", "<!-- /hvs:anomaly -->"


def card_section(result: Result) -> str:
    """The model card's anomaly section (replaced whole by every `anomaly` run)."""
    f, st = result.figures, result.settings
    normal, look = f["test"].get("normal", {}), f["test"].get("lookalike", {})
    defects = f["sensor_faults"]
    stuck, drift = defects.get(SENSOR_FAULT_KINDS[1], {}), defects.get(SENSOR_FAULT_KINDS[2], {})
    return "\n".join([
        CARD_BEGIN,
        "## Anomaly score (advisory)",
        f"Output `{OUTPUT_NAME}` float[N, 1]: an Isolation Forest ({st['trees']} trees, max_samples {st['max_samples']}, "
        f"{len(f['inputs'])} inputs derived from the features in the graph, "
        f"seed {f['seed']}) in the same graph, 2^(-E[h(x)]/c(psi)) = -sklearn `score_samples`, higher = less like normal operation. "
        f"Metadata `{METADATA_KEY}`: threshold **{st['threshold']}**, chosen so that at most {f['target_false_advisory_rate']:.2%} of the "
        "validation scenarios' normal readings reach it.",
        f"Trained on {st['trained_on']}.",
        f"Held-out test scenarios: {normal.get('share_fired', 0):.2%} of normal readings reach the threshold "
        f"({normal.get('modules_fired', 0)} of {normal.get('modules', 0)} modules at least once); defect look-alikes "
        f"{look.get('share_fired', 0):.2%}. Every scenario's sensor defects: stuck thermistors {stuck.get('share_fired', 0):.2%} of their readings "
        f"({stuck.get('modules_fired', 0)} of {stuck.get('modules', 0)} modules), drifting thermistors "
        f"{drift.get('share_fired', 0):.2%} ({drift.get('modules_fired', 0)} of {drift.get('modules', 0)}). Judged once a "
        f"module's 10-minute window is full. In the silo it is an advisory "
        "(module status, rack report, site), never a hazard level or an alarm. Figures and command: `anomaly-report.md`.",
        CARD_END,
    ])


def update_card(path: str, result: Result) -> None:
    with open(path) as handle:
        text = handle.read()
    section = card_section(result)
    if CARD_BEGIN in text and CARD_END in text:
        text = text[: text.index(CARD_BEGIN)] + section + text[text.index(CARD_END) + len(CARD_END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(path, "w") as handle:
        handle.write(text)


def run(model_path: str, data_dir: str, out_path: str, seed: int = 17, command: Optional[str] = None) -> Result:
    """The `anomaly` subcommand: adds or replaces the anomaly output of an exported model; writes the test
    vectors and the report beside the output model, and the anomaly section of a model card there."""
    model = onnx.load(model_path)
    ds = data.load_dataset(data_dir)
    result = build(model, ds, seed)
    before = onnx_eval.run(model, result.vectors["inputs"])
    after = onnx_eval.run(result.model, result.vectors["inputs"])
    for name, values in before.items():
        if name != OUTPUT_NAME and not np.array_equal(values, after[name]):
            raise AssertionError(f"Adding the anomaly score changed output '{name}'.")
    export_onnx.save(result.model, out_path)
    folder = os.path.dirname(os.path.abspath(out_path))
    with open(os.path.join(folder, VECTORS_FILE), "w") as handle:
        json.dump(result.vectors, handle)
    with open(os.path.join(folder, REPORT_FILE), "w") as handle:
        handle.write(report(result, command or f"python3 -m hvs_training anomaly --model {model_path} --data {data_dir} --out {out_path}"))
    if os.path.isfile(os.path.join(folder, CARD_FILE)):
        update_card(os.path.join(folder, CARD_FILE), result)
    return result


def add_to_run(model: onnx.ModelProto, ds: data.Dataset, seed: int, run) -> Result:
    """What `train` calls for a new model: the model with its anomaly score (`.model`); vectors and report in the run
    folder (the card's section is added by update_card once the card is written)."""
    result = build(model, ds, seed)
    run.write_json(VECTORS_FILE, result.vectors)
    run.write_text(REPORT_FILE, report(result, f"python3 -m hvs_training train --data {ds.directory} --seed {seed}"))
    return result
