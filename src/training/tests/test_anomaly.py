"""The anomaly score: exact parity of the exported Isolation Forest with sklearn, the rows it learns from,
and the `anomaly` subcommand replacing only its own part of a model."""
import json
import os

import numpy as np
import onnx
import pytest
from sklearn.ensemble import IsolationForest

from conftest import REPO
from hvs_training import anomaly, cli, data, export_onnx, models, onnx_eval

BUNDLE = os.path.join(REPO, "src", "HvsGrains.Silo", "BundledModel")
SETTINGS = {"threshold": 0.6, "trees": 0, "max_samples": 0, "trained_on": "toy"}


def toy(n=3000, f=10, seed=5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, f)).astype(np.float32)
    X[:, 2] = np.round(X[:, 2], 1)  # ties on split values exercise <= against rounded thresholds
    X[:, 3] = 7.0                   # a constant column cannot be split
    y = (X[:, 0] + rng.normal(0, 0.5, n) > 1.5).astype(int)
    return X, y


def hazard_model(X, y, metadata=None):
    m = models.xgb(1.0, n_estimators=10, max_depth=3, n_jobs=1).fit(X, y)
    return export_onnx.export(m, X.shape[1], metadata or {"hvs.model_version": "toy"})


def outliers(X, seed=9):
    rng = np.random.default_rng(seed)
    return np.vstack([X[:200], rng.normal(0, 6, size=(200, X.shape[1]))]).astype(np.float32)


@pytest.mark.parametrize("max_samples", [256, 0.05, 5000, 2])
def test_exported_score_equals_minus_sklearn_score_samples(max_samples):
    X, y = toy()
    forest = IsolationForest(n_estimators=30, max_samples=max_samples, random_state=3).fit(X)
    model = anomaly.attach(hazard_model(X, y), forest, SETTINGS)
    Xt = outliers(X)
    exported = anomaly.onnx_scores(model.SerializeToString(), Xt)
    np.testing.assert_allclose(exported, -forest.score_samples(Xt), atol=1e-6)
    assert 0 < exported.min() and exported.max() <= 1 and exported[200:].mean() >= exported[:200].mean()


def test_feature_subsets_map_back_to_the_models_inputs():
    X, y = toy()
    forest = IsolationForest(n_estimators=20, max_features=0.5, random_state=1).fit(X)
    model = anomaly.attach(hazard_model(X, y), forest, SETTINGS)
    np.testing.assert_allclose(anomaly.onnx_scores(model, outliers(X)), -forest.score_samples(outliers(X)), atol=1e-6)


def test_average_path_length_matches_sklearn():
    from sklearn.ensemble._iforest import _average_path_length
    n = np.array([0, 1, 2, 3, 10, 256, 100000])
    np.testing.assert_allclose(anomaly.average_path_length(n), _average_path_length(n))


def test_attach_keeps_the_hazard_graph_and_replaces_only_its_own_part():
    X, y = toy()
    base = hazard_model(X, y, {"hvs.model_version": "toy", "hvs.feature_baseline": "{\"version\":1}"})
    first = anomaly.attach(base, IsolationForest(n_estimators=5, random_state=1).fit(X), dict(SETTINGS, threshold=0.7))
    second = anomaly.attach(first, IsolationForest(n_estimators=8, random_state=2).fit(X), dict(SETTINGS, threshold=0.65))
    assert [o.name for o in second.graph.output] == ["probabilities", "anomaly_score"]
    assert second.graph.node[0] == base.graph.node[0] and second.graph.node[1] == base.graph.node[1]
    assert sum(n.op_type == "TreeEnsembleRegressor" for n in second.graph.node) == 2
    meta = export_onnx.metadata_of(second)
    assert json.loads(meta["hvs.anomaly"])["threshold"] == 0.65
    assert meta["hvs.feature_baseline"] == "{\"version\":1}" and meta["hvs.model_version"] == "toy"
    np.testing.assert_array_equal(onnx_eval.probabilities(second, X), onnx_eval.probabilities(base, X))
    stripped = anomaly.strip(second)
    assert stripped.SerializeToString() == base.SerializeToString()


def test_normal_rows_are_healthy_scenarios_and_pre_fault_rows_only(synthetic):
    frame, scenarios = synthetic.frame, synthetic.scenarios
    normal = anomaly.normal_rows(frame, scenarios)
    kinds = anomaly.row_kinds(frame, scenarios)
    label = frame["Hazard_Label"].to_numpy()
    fault_type = frame["Fault_Type"].astype(str).to_numpy()
    after = frame["Time_s"].to_numpy() >= anomaly.fault_start_times(frame, scenarios)
    assert not normal[label == 1].any()
    assert normal[fault_type == "None"].all()
    assert not normal[(fault_type != "None") & after].any()
    assert normal[(fault_type != "None") & ~after].all()
    assert set(kinds[fault_type == "SensorFault"]) == {"normal", "lookalike", "other"}
    assert (kinds == "fault").sum() > 0 and set(kinds[normal]) == {"normal"}


def test_threshold_is_the_quantile_of_normal_scores_rounded_up():
    s = np.linspace(0.3, 0.7, 10001)
    assert anomaly.choose_threshold(s, 1e-3) == pytest.approx(0.6997)
    assert (s >= anomaly.choose_threshold(s, 1e-3)).mean() <= 1e-3


def test_anomaly_subcommand_adds_the_output_vectors_and_report(synthetic_dir, tmp_path):
    ds = data.load_dataset(synthetic_dir)
    X = ds.features()
    meta = {"hvs.feature_names": json.dumps(ds.feature_names), "hvs.model_version": "synthetic"}
    model_path, out = str(tmp_path / "in.onnx"), str(tmp_path / "out" / "model.onnx")
    os.makedirs(os.path.dirname(out))
    card = os.path.join(os.path.dirname(out), anomaly.CARD_FILE)
    with open(card, "w") as handle:
        handle.write("# Model card\n\n## Limits\n- simulated\n")
    export_onnx.save(hazard_model(X[:2000], ds.frame["Hazard_Label"].to_numpy()[:2000] | (X[:2000, 4] > 25.3), meta), model_path)
    assert cli.main(["anomaly", "--model", model_path, "--data", synthetic_dir, "--out", out]) == 0
    model = onnx.load(out)
    settings = json.loads(export_onnx.metadata_of(model)["hvs.anomaly"])
    assert set(settings) == {"threshold", "trees", "max_samples", "trained_on"}
    assert 0 < settings["threshold"] <= 1 and settings["trees"] == anomaly.TREES and settings["max_samples"] == anomaly.MAX_SAMPLES
    with open(os.path.join(os.path.dirname(out), anomaly.VECTORS_FILE)) as handle:
        vectors = json.load(handle)
    Xv = np.asarray(vectors["inputs"], dtype=np.float32)
    np.testing.assert_allclose(anomaly.onnx_scores(model, Xv), vectors["scores"], atol=vectors["tolerance"])
    np.testing.assert_array_equal(onnx_eval.probabilities(model, Xv), onnx_eval.probabilities(onnx.load(model_path), Xv))
    report = open(os.path.join(os.path.dirname(out), anomaly.REPORT_FILE)).read()
    assert "anomaly --model" in report and str(settings["threshold"]) in report
    # Run again on its own output: replaced, not added twice, and deterministic.
    again = str(tmp_path / "out" / "again.onnx")
    assert cli.main(["anomaly", "--model", out, "--data", synthetic_dir, "--out", again]) == 0
    assert open(again, "rb").read() == open(out, "rb").read()
    text = open(card).read()
    assert text.startswith("# Model card\n\n## Limits\n- simulated\n") and text.count("## Anomaly score") == 1
    assert f"threshold **{settings['threshold']}**" in text


@pytest.mark.skipif(not os.path.exists(os.path.join(BUNDLE, anomaly.VECTORS_FILE)), reason="the bundled model has no anomaly score yet")
def test_bundled_model_reproduces_its_anomaly_test_vectors():
    model = onnx.load(os.path.join(BUNDLE, "hazard-model.onnx"))
    with open(os.path.join(BUNDLE, anomaly.VECTORS_FILE)) as handle:
        vectors = json.load(handle)
    settings = json.loads(export_onnx.metadata_of(model)["hvs.anomaly"])
    assert settings["threshold"] == vectors["threshold"] and 0 < settings["threshold"] < 1
    assert settings["trees"] == anomaly.TREES and settings["max_samples"] == anomaly.MAX_SAMPLES
    X = np.asarray(vectors["inputs"], dtype=np.float32)
    assert X.shape == (vectors["count"], 79) and vectors["count"] >= 150
    scores = np.asarray(vectors["scores"])
    assert (scores >= settings["threshold"]).any() and (scores < settings["threshold"]).any()
    np.testing.assert_allclose(anomaly.onnx_scores(model, X), scores, atol=vectors["tolerance"])
