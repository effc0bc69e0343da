"""The feature baseline a model carries for drift watch: per feature, a binned distribution of normal operation.

Written into the ONNX metadata as ``hvs.feature_baseline`` (the contract of issue 16):

    {"version": 1, "rows": <int>, "source": "<what rows>",
     "features": [{"name": <feature>, "edges": [e1, ..., e(k-1)], "proportions": [p1, ..., pk]}, ...]}

in ``hvs.feature_names`` order. Bins are (-inf, e1], (e1, e2], ..., (e(k-1), +inf); the edges are the distinct
quantiles at 5 %, 10 %, ..., 95 % of the normal rows (numpy's linear interpolation, on the float32 feature values
seen as float64), so k <= 20; the proportions are the share of those rows in each bin and sum to 1.
The silo (HvsGrains.Grains/ModelScoring/Drift) bins live vectors against these edges and computes PSI and KS.

Normal operation = the rows a healthy site produces:
  * every row of the benign scenarios of kind None (normal operation), HighLoad (back-to-back cycling) and
    CellImbalance (a weak cell, still healthy);
  * every row of the fault scenarios before their fault starts (all modules of the rack are still healthy).
Left out: the look-alikes that are incidents or sensor trouble (HvacFailure, SummerAfternoon, SensorFault,
ExternalGas) and everything after a fault starts. A season's heat is exactly what drift watch should notice, so
summer afternoons are not in the baseline.
"""
from __future__ import annotations

import json
from typing import Dict, List, Tuple

import numpy as np
import onnx

from . import data

METADATA_KEY = "hvs.feature_baseline"
QUANTILES = tuple(np.round(np.arange(0.05, 0.951, 0.05), 2))  # 5 %, 10 %, ..., 95 %
NORMAL_BENIGN_KINDS = ("None", "HighLoad", "CellImbalance")
SOURCE = ("benign scenarios None, HighLoad, CellImbalance (all rows) and fault scenarios before their fault start "
          "(all modules)")


def normal_rows(ds: data.Dataset) -> np.ndarray:
    """Indices (into ds.frame) of the rows that show normal operation (see the module doc)."""
    frame = ds.frame
    kind = frame["Fault_Type"].astype(str).to_numpy()
    benign = frame["Is_Benign"].to_numpy() == 1
    normal_benign = benign & np.isin(kind, NORMAL_BENIGN_KINDS)
    scenario = frame["Scenario_Id"].astype(str)
    start = ds.scenarios["Start"].map(lambda t: t.value / 1e9 if t is not None and t == t else np.nan)
    fault_at = (start + ds.scenarios["Fault_Start_s"]).to_dict()
    before_fault = ~benign & (frame["Time_s"].to_numpy() < scenario.map(fault_at).to_numpy(dtype=np.float64))
    return np.flatnonzero(normal_benign | before_fault)


def feature_bins(values: np.ndarray) -> Tuple[List[float], List[float]]:
    """Edges (distinct 5..95 % quantiles) and the share of values in each of the len(edges)+1 bins."""
    x = np.asarray(values, dtype=np.float32).astype(np.float64)
    edges = np.unique(np.quantile(x, QUANTILES))
    # searchsorted 'left': the first edge >= x, i.e. bin i is (e(i), e(i+1)], right-closed like the contract.
    counts = np.bincount(np.searchsorted(edges, x, side="left"), minlength=len(edges) + 1)
    return [float(e) for e in edges], [float(c) / len(x) for c in counts]


def compute(ds: data.Dataset) -> Dict[str, object]:
    """The baseline document of a dataset's normal rows."""
    rows = normal_rows(ds)
    if len(rows) == 0:
        raise data.DatasetError(f"'{ds.directory}' has no rows of normal operation ({SOURCE}): no baseline.")
    X = ds.features(rows)
    features = []
    for j, name in enumerate(ds.feature_names):
        edges, proportions = feature_bins(X[:, j])
        features.append({"name": name, "edges": edges, "proportions": proportions})
    return {"version": 1, "rows": int(len(rows)), "source": SOURCE, "features": features}


def attach(model: onnx.ModelProto, baseline: Dict[str, object]) -> onnx.ModelProto:
    """Adds or replaces the baseline metadata entry; nothing else of the model changes."""
    names = json.loads(next((p.value for p in model.metadata_props if p.key == "hvs.feature_names"), "null") or "null")
    if names is not None and names != [f["name"] for f in baseline["features"]]:
        raise data.DatasetError("The dataset's features are not the model's (hvs.feature_names): no baseline written.")
    text = json.dumps(baseline, separators=(",", ":"))
    for prop in model.metadata_props:
        if prop.key == METADATA_KEY:
            prop.value = text
            return model
    entry = model.metadata_props.add()
    entry.key, entry.value = METADATA_KEY, text
    return model


def add_to_model(model_path: str, data_dir: str, out_path: str) -> Dict[str, object]:
    """The `baseline` subcommand: reads a model and a dataset, writes the model with its baseline to out_path."""
    ds = data.load_dataset(data_dir)
    baseline = compute(ds)
    model = onnx.load(model_path)
    attach(model, baseline)
    with open(out_path, "wb") as handle:
        handle.write(model.SerializeToString())
    return baseline
