"""The anomaly score: exact parity of the exported Isolation Forest with sklearn, the rows it learns from,
and the `anomaly` subcommand replacing only its own part of a model."""
import json
import os

import numpy as np
import onnx
import pytest
from sklearn.ensemble import IsolationForest

from conftest import REPO
from hvs_training import anomaly, anomaly_inputs, cli, data, export_onnx, models, onnx_eval

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


def feature_rows(n=500, seed=3):
    """Rows over the real 79 feature names, positive where a standard deviation is (as the silo's are)."""
    from conftest import feature_names
    names = feature_names()
    rng = np.random.default_rng(seed)
    X = rng.normal(25, 8, size=(n, len(names))).astype(np.float32)
    stds = [i for i, name in enumerate(names) if name.startswith("Rolling_std_")]
    X[:, stds] = np.abs(X[:, stds]) / 50
    X[:5, stds] = 0.0  # frozen channels
    return X, names


def test_derived_inputs_in_the_graph_are_bit_for_bit_the_numpy_ones():
    X, names = feature_rows()
    F = anomaly_inputs.derive(X, names)
    assert F.shape == (len(X), anomaly_inputs.count()) and F.dtype == np.float32
    assert (F[:5, anomaly_inputs.bounded()] == 0).all() and (F[:, anomaly_inputs.bounded()] < 1).all()
    y = (X[:, 0] > 25).astype(int)
    forest = anomaly.fit(F, 4, trees=30, bounded=anomaly_inputs.bounded())
    model = anomaly.attach(hazard_model(X, y), forest, SETTINGS, names)
    inputs = [o for n in model.graph.node if n.name == anomaly.NODE_PREFIX + "inputs" for o in n.output]
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    probe.graph.output.append(onnx.helper.make_tensor_value_info(inputs[0], onnx.TensorProto.FLOAT, ["N", anomaly_inputs.count()]))
    np.testing.assert_array_equal(onnx_eval.run(probe, X)[inputs[0]], F)
    np.testing.assert_allclose(anomaly.onnx_scores(model, X), -forest.score_samples(F), atol=1e-6)


def test_a_feature_the_inputs_need_is_named_when_missing():
    X, names = feature_rows(10)
    names = [n if n != "Rolling_std_1m_Module_Max_Surface_Temp_C" else "renamed" for n in names]
    with pytest.raises(ValueError, match="Rolling_std_1m_Module_Max_Surface_Temp_C"):
        anomaly_inputs.derive(X, names)


def test_reference_points_fill_a_box_around_normal_rows_and_ratios_over_their_whole_range():
    rng = np.random.default_rng(1)
    F = np.column_stack([rng.uniform(0.6, 0.9, 5000), rng.normal(3, 1, 5000)]).astype(np.float32)
    bounded = np.array([True, False])
    R = anomaly.reference_points(F, bounded, seed=2, share=0.04)
    assert R.shape == (200, 2)
    assert R[:, 0].min() >= 0 and R[:, 0].max() <= 1 and R[:, 0].min() < 0.3  # reaches down to a frozen channel's 0
    lo, hi = F[:, 1].min(), F[:, 1].max()
    assert R[:, 1].min() >= lo - (hi - lo) - 1e-4 and R[:, 1].max() <= hi + (hi - lo) + 1e-4
    assert R[:, 1].max() > hi and R[:, 1].min() < lo


def test_without_reference_points_a_value_far_beyond_normal_scores_like_the_most_extreme_normal_row():
    # Why the reference points exist: an Isolation Forest does not extrapolate.
    rng = np.random.default_rng(8)
    F = rng.normal(0, 1, size=(4000, 2)).astype(np.float32)
    far = np.array([[0, 8]], dtype=np.float32)  # twice the normal maximum: inside the reference box
    edge = np.array([[0, F[:, 1].max()]], dtype=np.float32)
    plain = anomaly.fit(F, 3, trees=100, share=0)
    assert anomaly.scores(plain, far)[0] == anomaly.scores(plain, edge)[0]
    referenced = anomaly.fit(F, 3, trees=100)
    assert anomaly.scores(referenced, far)[0] > anomaly.scores(referenced, edge)[0] + 0.05


def test_warm_rows_start_ten_minutes_after_each_modules_first_reading(synthetic):
    frame = synthetic.frame
    warm = anomaly.warm_rows(frame)
    first = frame.groupby([frame["Scenario_Id"].astype(str), frame["Module_ID"].astype(str)])["Time_s"].transform("min")
    age = (frame["Time_s"] - first).to_numpy()
    assert (~warm[age < anomaly.WARM_UP_S]).all() and warm[age >= anomaly.WARM_UP_S].all()
    assert (~warm).any() and warm.any()
