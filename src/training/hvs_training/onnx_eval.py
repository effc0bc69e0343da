"""A small pure-numpy evaluator for the exported graphs (Debian has no onnxruntime).

It reads an ONNX model back from its protobuf and runs its nodes in order. Supported: ai.onnx.ml
TreeEnsembleRegressor and TreeEnsembleClassifier (post_transform NONE / LOGISTIC, no ZipMap),
Sigmoid, Identity, Mul / Exp with initializers (the anomaly score's 2^(-E[h]/c)), and Gather / Add / Sub /
Div / Concat (the anomaly score's derived inputs).
Semantics follow the ONNX-ML operator spec: float32 inputs and thresholds,
BRANCH_* modes, missing values (NaN) follow nodes_missing_value_tracks_true, SUM / AVERAGE / MIN /
MAX aggregation plus base_values.
"""
from __future__ import annotations

from typing import Dict

import numpy as np
import onnx
from onnx import helper, numpy_helper


class UnsupportedGraph(NotImplementedError):
    pass


def _attrs(node) -> Dict[str, object]:
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _walk(X: np.ndarray, a: Dict[str, object], weight_prefix: str):
    treeids = np.asarray(a["nodes_treeids"], dtype=np.int64)
    nodeids = np.asarray(a["nodes_nodeids"], dtype=np.int64)
    feats = np.asarray(a["nodes_featureids"], dtype=np.int64)
    modes = np.array([m.decode() if isinstance(m, bytes) else m for m in a["nodes_modes"]])
    values = np.asarray(a["nodes_values"], dtype=np.float32)
    true_ids = np.asarray(a["nodes_truenodeids"], dtype=np.int64)
    false_ids = np.asarray(a["nodes_falsenodeids"], dtype=np.int64)
    missing = np.asarray(a.get("nodes_missing_value_tracks_true", [0] * len(treeids)), dtype=bool)
    t_tree = np.asarray(a[f"{weight_prefix}_treeids"], dtype=np.int64)
    t_node = np.asarray(a[f"{weight_prefix}_nodeids"], dtype=np.int64)
    t_id = np.asarray(a[f"{weight_prefix}_ids"], dtype=np.int64)
    t_w = np.asarray(a[f"{weight_prefix}_weights"], dtype=np.float32)
    n_targets = int(t_id.max()) + 1 if len(t_id) else 1
    n = X.shape[0]
    trees = np.unique(treeids)
    scores = np.zeros((len(trees), n, n_targets), dtype=np.float64)
    for ti, tree in enumerate(trees):
        sel = np.flatnonzero(treeids == tree)
        pos = {int(nid): i for i, nid in enumerate(nodeids[sel])}
        f = feats[sel]; md = modes[sel]; v = values[sel]; mt = missing[sel]
        tt = np.array([pos.get(int(x), -1) for x in true_ids[sel]])
        ff = np.array([pos.get(int(x), -1) for x in false_ids[sel]])
        leaf = md == "LEAF"
        referenced = set(tt[~leaf]) | set(ff[~leaf])
        roots = [i for i in range(len(sel)) if i not in referenced]
        if len(roots) != 1:
            raise UnsupportedGraph(f"tree {tree} has {len(roots)} roots")
        cur = np.full(n, roots[0], dtype=np.int64)
        for _ in range(len(sel) + 1):
            active = ~leaf[cur]
            if not active.any():
                break
            rows = np.flatnonzero(active)
            nd = cur[rows]
            x = X[rows, f[nd]]
            th = v[nd]
            mode = md[nd]
            go = np.zeros(len(rows), dtype=bool)
            for name, op in (("BRANCH_LT", np.less), ("BRANCH_LEQ", np.less_equal), ("BRANCH_GT", np.greater),
                             ("BRANCH_GTE", np.greater_equal), ("BRANCH_EQ", np.equal), ("BRANCH_NEQ", np.not_equal)):
                m = mode == name
                if m.any():
                    go[m] = op(x[m], th[m])
            nan = np.isnan(x)
            go[nan] = mt[nd][nan]
            cur[rows] = np.where(go, tt[nd], ff[nd])
        else:
            raise UnsupportedGraph(f"tree {tree} has a cycle")
        leaf_ids = nodeids[sel][cur]
        wsel = np.flatnonzero(t_tree == tree)
        for j in wsel:
            hit = leaf_ids == t_node[j]
            scores[ti, hit, t_id[j]] += float(t_w[j])
    return scores, n_targets


def _aggregate(scores: np.ndarray, how: str) -> np.ndarray:
    if how == "SUM":
        return scores.sum(axis=0)
    if how == "AVERAGE":
        return scores.mean(axis=0)
    if how == "MIN":
        return scores.min(axis=0)
    if how == "MAX":
        return scores.max(axis=0)
    raise UnsupportedGraph(f"aggregate_function {how}")


def _post(x: np.ndarray, how: str) -> np.ndarray:
    if how == "NONE":
        return x
    if how == "LOGISTIC":
        return 1.0 / (1.0 + np.exp(-x))
    raise UnsupportedGraph(f"post_transform {how}")


def run(model: "onnx.ModelProto | bytes | str", X: np.ndarray) -> Dict[str, np.ndarray]:
    """Runs the graph on X (float32 [N, F]); returns every graph output by name."""
    if isinstance(model, str):
        model = onnx.load(model)
    elif isinstance(model, (bytes, bytearray)):
        model = onnx.load_from_string(bytes(model))
    graph = model.graph
    if len(graph.input) != 1:
        raise UnsupportedGraph("exactly one input expected")
    X = np.asarray(X, dtype=np.float32)
    env: Dict[str, np.ndarray] = {graph.input[0].name: X}
    env.update({init.name: numpy_helper.to_array(init) for init in graph.initializer})
    for node in graph.node:
        a = _attrs(node)
        op = node.op_type
        if op == "TreeEnsembleRegressor":
            scores, _ = _walk(env[node.input[0]], a, "target")
            agg = a.get("aggregate_function", b"SUM")
            agg = agg.decode() if isinstance(agg, bytes) else agg
            out = _aggregate(scores, agg) if scores.shape[0] else np.zeros((X.shape[0], 1))
            base = np.asarray(a.get("base_values", [0.0] * out.shape[1]), dtype=np.float64)
            post = a.get("post_transform", b"NONE")
            out = _post(out + base, post.decode() if isinstance(post, bytes) else post)
            env[node.output[0]] = out.astype(np.float32)
        elif op == "TreeEnsembleClassifier":
            scores, n_targets = _walk(env[node.input[0]], a, "class")
            out = scores.sum(axis=0) + np.asarray(a.get("base_values", [0.0] * n_targets), dtype=np.float64)
            post = a.get("post_transform", b"NONE")
            post = post.decode() if isinstance(post, bytes) else post
            if n_targets == 1:  # binary with one weight column: [1 - p, p]
                p = _post(out[:, 0], post)
                out = np.stack([1 - p, p], axis=1)
            else:
                out = _post(out, post)
            labels = a.get("classlabels_int64s", list(range(out.shape[1])))
            env[node.output[0]] = np.asarray(labels)[out.argmax(axis=1)]
            if len(node.output) > 1:
                env[node.output[1]] = out.astype(np.float32)
        elif op == "Sigmoid":
            x = env[node.input[0]].astype(np.float64)
            env[node.output[0]] = (1.0 / (1.0 + np.exp(-x))).astype(np.float32)
        elif op == "Mul":  # float32 in, float32 out, as ONNX Runtime computes it
            env[node.output[0]] = np.multiply(env[node.input[0]].astype(np.float32), env[node.input[1]].astype(np.float32))
        elif op in ("Add", "Sub", "Div"):  # float32 elementwise with broadcasting, as ONNX Runtime computes it
            a32, b32 = env[node.input[0]].astype(np.float32), env[node.input[1]].astype(np.float32)
            env[node.output[0]] = {"Add": np.add, "Sub": np.subtract, "Div": np.divide}[op](a32, b32)
        elif op == "Gather":
            env[node.output[0]] = np.take(env[node.input[0]], env[node.input[1]], axis=int(a.get("axis", 0)))
        elif op == "Concat":
            env[node.output[0]] = np.concatenate([env[i] for i in node.input], axis=int(a["axis"]))
        elif op == "Exp":
            env[node.output[0]] = np.exp(env[node.input[0]].astype(np.float32))
        elif op == "Identity":
            env[node.output[0]] = env[node.input[0]]
        elif op == "ZipMap":
            raise UnsupportedGraph("ZipMap is not supported by the silo; export without it")
        else:
            raise UnsupportedGraph(f"operator {op}")
    return {o.name: env[o.name] for o in graph.output}


def probabilities(model, X: np.ndarray, output: str = "probabilities", positive_index: int = 1) -> np.ndarray:
    """Positive-class probability per row, read like the silo reads it ([N], [N,1] or [N,C])."""
    out = run(model, X)[output]
    if out.ndim == 1:
        return out
    if out.shape[1] == 1:
        return out[:, 0]
    return out[:, positive_index]
