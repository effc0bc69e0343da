"""The drift-watch baseline (hvs.feature_baseline): rows, bins, proportions, and the subcommand that adds it."""
import json
import os

import numpy as np
import onnx
import pytest

from hvs_training import baseline, cli, data, export_onnx

BUNDLED = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                       "HvsGrains.Silo", "BundledModel", "hazard-model.onnx")


def test_bins_are_right_closed_quantile_edges_with_proportions():
    values = np.arange(1, 101, dtype=np.float32)  # 1..100
    edges, proportions = baseline.feature_bins(values)
    assert edges == pytest.approx(np.quantile(np.arange(1, 101, dtype=np.float64), np.arange(0.05, 0.951, 0.05)).tolist())
    assert len(edges) == 19 and len(proportions) == 20
    # (-inf, 5.95] holds 1..5; (95.05, inf) holds 96..100; every inner bin holds 5 of the 100 values.
    assert proportions == pytest.approx([0.05] * 20)
    assert sum(proportions) == pytest.approx(1.0)


def test_a_value_on_an_edge_falls_in_the_bin_it_closes():
    values = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 2], dtype=np.float32)
    edges, proportions = baseline.feature_bins(values)
    # Quantile positions q·9 over the sorted values: 0 up to 30 %, 0.15 (35 %), 0.6 (40 %), 1 up to 85 %, 1.1, 1.55.
    assert edges == pytest.approx([0.0, 0.15, 0.6, 1.0, 1.1, 1.55])  # distinct quantiles only
    assert proportions == pytest.approx([0.4, 0.0, 0.0, 0.5, 0.0, 0.0, 0.1])


def test_a_constant_feature_has_one_edge_and_all_rows_in_its_first_bin():
    edges, proportions = baseline.feature_bins(np.full(50, 3.25, dtype=np.float32))
    assert edges == [3.25] and proportions == [1.0, 0.0]


def test_normal_rows_are_healthy_benign_kinds_and_fault_scenarios_before_the_fault(synthetic):
    rows = baseline.normal_rows(synthetic)
    frame = synthetic.frame.iloc[rows]
    assert set(frame["Fault_Type"].astype(str)) == {"None", "InternalShort", "Overcharge"}  # no SensorFault rows
    faulty = frame[frame["Is_Benign"] == 0]
    starts = synthetic.scenarios["Start"].map(lambda t: t.value / 1e9) + synthetic.scenarios["Fault_Start_s"]
    assert (faulty["Time_s"].to_numpy() < faulty["Scenario_Id"].astype(str).map(starts).to_numpy()).all()
    assert faulty["Hazard_Label"].sum() == 0
    benign_none = synthetic.frame[synthetic.frame["Fault_Type"].astype(str) == "None"]
    assert (frame["Fault_Type"].astype(str) == "None").sum() == len(benign_none)


def test_baseline_document_follows_the_contract(synthetic):
    doc = baseline.compute(synthetic)
    assert doc["version"] == 1 and doc["rows"] == len(baseline.normal_rows(synthetic))
    assert [f["name"] for f in doc["features"]] == synthetic.feature_names
    for feature in doc["features"]:
        assert len(feature["proportions"]) == len(feature["edges"]) + 1 <= 20
        assert all(a < b for a, b in zip(feature["edges"], feature["edges"][1:]))
        assert sum(feature["proportions"]) == pytest.approx(1.0)


def test_subcommand_adds_then_replaces_the_baseline_and_leaves_the_rest_alone(synthetic_dir, tmp_path):
    once, twice = str(tmp_path / "once.onnx"), str(tmp_path / "twice.onnx")
    assert cli.main(["baseline", "--model", BUNDLED, "--data", synthetic_dir, "--out", once]) == 0
    assert cli.main(["baseline", "--model", once, "--data", synthetic_dir, "--out", twice]) == 0
    original, result = onnx.load(BUNDLED), onnx.load(twice)
    assert result.graph.SerializeToString() == original.graph.SerializeToString()
    before, after = export_onnx.metadata_of(original), export_onnx.metadata_of(result)
    assert [p.key for p in result.metadata_props].count(baseline.METADATA_KEY) == 1
    assert {k: v for k, v in after.items() if k != baseline.METADATA_KEY} == \
        {k: v for k, v in before.items() if k != baseline.METADATA_KEY}
    assert json.loads(after[baseline.METADATA_KEY]) == json.loads(json.dumps(baseline.compute(data.load_dataset(synthetic_dir))))


def test_subcommand_refuses_a_dataset_without_normal_rows(tmp_path):
    from conftest import make_dataset
    directory = make_dataset(str(tmp_path / "faults"), n_fault=2, n_benign=0, hours=0.4)
    manifest = json.load(open(os.path.join(directory, "dataset.json")))
    for s in manifest["scenarios"]:
        s["faultStartS"] = 0.0
    json.dump(manifest, open(os.path.join(directory, "dataset.json"), "w"))
    assert cli.main(["baseline", "--model", BUNDLED, "--data", directory, "--out", str(tmp_path / "x.onnx")]) == 2
    assert not os.path.exists(tmp_path / "x.onnx")
