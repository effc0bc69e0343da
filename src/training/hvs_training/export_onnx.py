"""Hand-written ONNX export of tree ensembles (no skl2onnx / onnxmltools in Debian).

Graph (opset 17 + ai.onnx.ml 3, IR 8), matching the hazard-model contract of src/HvsGrains.Grains/ModelScoring/Onnx:
  features float[N, F] -> ai.onnx.ml.TreeEnsembleRegressor -> (Sigmoid for XGBoost) -> probabilities float[N, 1]
- XGBoost (binary:logistic): the regressor sums the leaf values of every tree plus the base margin
  (logit of base_score); Sigmoid turns the margin into the positive-class probability. XGBoost goes
  left when x < split (BRANCH_LT) and both sides use float32 thresholds, so the comparison is exact.
- scikit-learn RandomForest: the regressor averages each tree's positive-class leaf probability
  (what predict_proba does). sklearn goes left when x <= threshold with a float64 threshold and
  float32 inputs; the exported float32 threshold is rounded down, which gives the same decision for
  every float32 input.
There is no ZipMap and no label output. The features never contain NaN (the C# feature code imputes),
still missing values follow XGBoost's default direction (nodes_missing_value_tracks_true) so the
two agree on NaN as well; for sklearn trees NaN goes to the false (right) branch.
"""
from __future__ import annotations

import json
import math
from typing import Dict, List, Optional, Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper

INPUT_NAME = "features"
OUTPUT_NAME = "probabilities"
OPSET = 17
ML_OPSET = 3
IR_VERSION = 8


class Trees:
    """Flat node lists in TreeEnsemble attribute form."""

    def __init__(self):
        self.treeids: List[int] = []
        self.nodeids: List[int] = []
        self.featureids: List[int] = []
        self.modes: List[str] = []
        self.values: List[float] = []
        self.truenodeids: List[int] = []
        self.falsenodeids: List[int] = []
        self.missing_true: List[int] = []
        self.target_treeids: List[int] = []
        self.target_nodeids: List[int] = []
        self.target_weights: List[float] = []

    def add_branch(self, tree, node, feature, mode, threshold, true_id, false_id, missing_true):
        self.treeids.append(tree); self.nodeids.append(node); self.featureids.append(int(feature))
        self.modes.append(mode); self.values.append(float(threshold))
        self.truenodeids.append(int(true_id)); self.falsenodeids.append(int(false_id))
        self.missing_true.append(int(missing_true))

    def add_leaf(self, tree, node, weight):
        self.treeids.append(tree); self.nodeids.append(node); self.featureids.append(0)
        self.modes.append("LEAF"); self.values.append(0.0)
        self.truenodeids.append(0); self.falsenodeids.append(0); self.missing_true.append(0)
        self.target_treeids.append(tree); self.target_nodeids.append(node); self.target_weights.append(float(weight))

    @property
    def n_trees(self) -> int:
        return len(set(self.treeids))


def xgboost_trees(booster) -> (Trees, float):
    """Trees and base margin from an xgboost Booster (binary:logistic) via its JSON model."""
    model = json.loads(bytes(booster.save_raw(raw_format="json")).decode("utf-8"))
    learner = model["learner"]
    objective = learner["objective"]["name"]
    if objective != "binary:logistic":
        raise ValueError(f"Only binary:logistic boosters are exported, not {objective}.")
    base_score = float(learner["learner_model_param"]["base_score"])
    margin = math.log(base_score / (1.0 - base_score))
    gb = learner["gradient_booster"]
    if gb.get("name") != "gbtree":
        raise ValueError(f"Only gbtree boosters are exported, not {gb.get('name')}.")
    trees = Trees()
    for t, tree in enumerate(gb["model"]["trees"]):
        left, right = tree["left_children"], tree["right_children"]
        feat, cond, default_left = tree["split_indices"], tree["split_conditions"], tree["default_left"]
        for n in range(len(left)):
            if left[n] == -1:
                trees.add_leaf(t, n, np.float32(cond[n]))
            else:
                trees.add_branch(t, n, feat[n], "BRANCH_LT", np.float32(cond[n]), left[n], right[n], bool(default_left[n]))
    return trees, margin


def _round_down_f32(x: float) -> np.float32:
    f = np.float32(x)
    if float(f) > x:
        f = np.nextafter(f, np.float32(-np.inf))
    return f


def forest_trees(forest) -> Trees:
    """Trees of a fitted sklearn RandomForestClassifier / ExtraTreesClassifier (binary)."""
    if list(forest.classes_) != [0, 1]:
        raise ValueError("Only binary forests with classes [0, 1] are exported.")
    trees = Trees()
    for t, est in enumerate(forest.estimators_):
        tr = est.tree_
        for n in range(tr.node_count):
            if tr.children_left[n] == -1:
                counts = tr.value[n, 0, :]
                trees.add_leaf(t, n, counts[1] / counts.sum())
            else:
                trees.add_branch(t, n, tr.feature[n], "BRANCH_LEQ", _round_down_f32(tr.threshold[n]),
                                 tr.children_left[n], tr.children_right[n], False)
    return trees


def build_model(trees: Trees, n_features: int, aggregate: str, base_value: float, sigmoid: bool,
                metadata: Dict[str, str], doc: str = "") -> onnx.ModelProto:
    score_name = "margin" if sigmoid else OUTPUT_NAME
    ensemble = helper.make_node(
        "TreeEnsembleRegressor", [INPUT_NAME], [score_name], domain="ai.onnx.ml", name="trees",
        n_targets=1, aggregate_function=aggregate, post_transform="NONE", base_values=[float(base_value)],
        nodes_treeids=trees.treeids, nodes_nodeids=trees.nodeids, nodes_featureids=trees.featureids,
        nodes_modes=trees.modes, nodes_values=trees.values, nodes_truenodeids=trees.truenodeids,
        nodes_falsenodeids=trees.falsenodeids, nodes_missing_value_tracks_true=trees.missing_true,
        target_treeids=trees.target_treeids, target_nodeids=trees.target_nodeids,
        target_ids=[0] * len(trees.target_treeids), target_weights=trees.target_weights)
    nodes = [ensemble]
    if sigmoid:
        nodes.append(helper.make_node("Sigmoid", [score_name], [OUTPUT_NAME], name="to_probability"))
    graph = helper.make_graph(
        nodes, "hvs_hazard_model",
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", n_features])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", 1])])
    model = helper.make_model(graph, producer_name="hvs_training", producer_version="1",
                              opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("ai.onnx.ml", ML_OPSET)],
                              doc_string=doc)
    model.ir_version = IR_VERSION
    for key, value in metadata.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    return model


def export(model, n_features: int, metadata: Dict[str, str], doc: str = "") -> onnx.ModelProto:
    """ONNX for a fitted XGBClassifier / Booster or sklearn RandomForestClassifier."""
    est = model.steps[-1][1] if hasattr(model, "steps") else model
    booster = est.get_booster() if hasattr(est, "get_booster") else est
    if hasattr(booster, "save_raw"):
        trees, margin = xgboost_trees(booster)
        return build_model(trees, n_features, "SUM", margin, True, metadata, doc)
    if hasattr(est, "estimators_") and hasattr(est.estimators_[0], "tree_"):
        return build_model(forest_trees(est), n_features, "AVERAGE", 0.0, False, metadata, doc)
    raise TypeError(f"No ONNX export for {type(est).__name__}.")


def metadata_of(model: onnx.ModelProto) -> Dict[str, str]:
    return {p.key: p.value for p in model.metadata_props}


def save(model: onnx.ModelProto, path: str) -> int:
    data = model.SerializeToString()
    with open(path, "wb") as handle:
        handle.write(data)
    return len(data)
