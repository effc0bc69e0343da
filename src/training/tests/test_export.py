import json
import os

import numpy as np
import onnx
import pytest
from sklearn.ensemble import RandomForestClassifier

from conftest import CSHARP_SCHEMA_HASH, REPO
from hvs_training import export_onnx, models, onnx_eval

BUNDLE = os.path.join(REPO, "src", "HvsGrains.Silo", "BundledModel")
REQUIRED_KEYS = ["hvs.feature_schema_version", "hvs.feature_schema_hash", "hvs.feature_names", "hvs.model_version",
                 "hvs.training_data_hash", "hvs.thresholds", "hvs.metrics", "hvs.trained_at"]


def toy(n=4000, f=12, seed=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, f)).astype(np.float32)
    X[:, 3] = np.round(X[:, 3], 1)  # ties on split values exercise < versus <=
    y = ((X[:, 0] + X[:, 1] ** 2 + 0.5 * X[:, 3] + rng.normal(0, 0.5, n)) > 1.8).astype(int)
    return X, y


def check_graph(model, f):
    onnx.checker.check_model(model)
    assert model.ir_version == 8
    assert {o.domain: o.version for o in model.opset_import} == {"": 17, "ai.onnx.ml": 3}
    assert len(model.graph.input) == 1
    shape = model.graph.input[0].type.tensor_type.shape.dim
    assert model.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT and shape[1].dim_value == f
    # The anomaly score (hvs_training.anomaly) is an optional second output.
    assert [o.name for o in model.graph.output] in (["probabilities"], ["probabilities", "anomaly_score"])
    assert model.graph.output[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    assert all(n.op_type != "ZipMap" for n in model.graph.node)


def test_xgboost_export_reproduces_predict_proba():
    X, y = toy()
    m = models.xgb(4.0, n_estimators=60, max_depth=5, n_jobs=1)
    m.fit(X, y)
    onx = export_onnx.export(m, X.shape[1], {"k": "v"})
    check_graph(onx, X.shape[1])
    p = onnx_eval.probabilities(onx.SerializeToString(), X)
    np.testing.assert_allclose(p, m.predict_proba(X)[:, 1], atol=1e-5)


def test_random_forest_export_reproduces_predict_proba():
    X, y = toy()
    rf = RandomForestClassifier(n_estimators=20, max_depth=8, class_weight="balanced_subsample", random_state=0).fit(X, y)
    onx = export_onnx.export(rf, X.shape[1], {})
    check_graph(onx, X.shape[1])
    np.testing.assert_allclose(onnx_eval.probabilities(onx, X), rf.predict_proba(X)[:, 1], atol=1e-6)


def test_xgboost_export_follows_default_direction_for_missing_values():
    X, y = toy()
    X[::7, 0] = np.nan
    m = models.xgb(1.0, n_estimators=20, max_depth=4, n_jobs=1).fit(X, y)
    onx = export_onnx.export(m, X.shape[1], {})
    np.testing.assert_allclose(onnx_eval.probabilities(onx, X), m.predict_proba(X)[:, 1], atol=1e-5)


def test_metadata_is_written(tmp_path):
    X, y = toy(500)
    m = models.xgb(1.0, n_estimators=5, max_depth=3, n_jobs=1).fit(X, y)
    meta = {k: "x" for k in REQUIRED_KEYS}
    path = str(tmp_path / "m.onnx")
    export_onnx.save(export_onnx.export(m, X.shape[1], meta), path)
    assert export_onnx.metadata_of(onnx.load(path)) == meta


@pytest.mark.skipif(not os.path.exists(os.path.join(BUNDLE, "hazard-model.onnx")), reason="no bundled model promoted yet")
def test_bundled_model_reproduces_its_test_vectors():
    model = onnx.load(os.path.join(BUNDLE, "hazard-model.onnx"))
    with open(os.path.join(BUNDLE, "test-vectors.json")) as f:
        vectors = json.load(f)
    meta = export_onnx.metadata_of(model)
    assert set(REQUIRED_KEYS) <= set(meta)
    assert meta["hvs.feature_schema_hash"] == CSHARP_SCHEMA_HASH == vectors["feature_schema_hash"]
    assert json.loads(meta["hvs.feature_names"]) == vectors["feature_names"]
    assert meta["hvs.model_version"] == vectors["model_version"]
    th = json.loads(meta["hvs.thresholds"])
    assert 0 < th["watch"] < th["warning"] < th["critical"] <= 1
    X = np.asarray(vectors["inputs"], dtype=np.float32)
    assert X.shape == (vectors["count"], 79) and 150 <= len(X) <= 250 and sum(vectors["labels"]) > 0
    check_graph(model, 79)
    np.testing.assert_allclose(onnx_eval.probabilities(model, X), vectors["probabilities"], atol=vectors["tolerance"])
    assert os.path.getsize(os.path.join(BUNDLE, "hazard-model.onnx")) < 2 * 1024 * 1024
