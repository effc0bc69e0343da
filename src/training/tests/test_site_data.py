"""Site exports (hvs export) beside the simulator's data: loading, what is fitted, the comparison with the active model."""
import json
import os

import numpy as np
import pytest

from conftest import META, REPO, make_dataset
from hvs_training import data, site_data
from hvs_training.data import DatasetError
from hvs_training.train import train

BUNDLED = os.path.join(REPO, "src", "HvsGrains.Silo", "BundledModel", "hazard-model.onnx")


def make_site_export(directory, seed=5):
    """A dataset in the site export's layout (SiteDatasetWriter): the simulator's columns with Label_Source and Alarm_Id
    before the features and a 'site' block. Rows come from a synthetic fault scenario, relabelled as an operator would."""
    make_dataset(directory, n_fault=1, n_benign=1, modules=3, hours=2.0, seed=seed)
    with open(os.path.join(directory, "dataset.json")) as handle:
        manifest = json.load(handle)
    path = os.path.join(directory, "dataset.csv")
    with open(path) as handle:
        lines = handle.read().splitlines()
    at = len(META)
    out = [",".join(lines[0].split(",")[:at] + ["Label_Source", "Alarm_Id"] + lines[0].split(",")[at:])]
    sources = []
    for line in lines[1:]:
        v = line.split(",")
        module, label, benign = v[1], v[at - 8 + 0], v[at - 8 + 5]
        source = ("true-alarm" if label == "1" else "unjudged-alarm" if module.endswith("Module01") and benign == "0"
                  else "false-alarm" if module.endswith("Module02") and benign == "0" else "no-alarm")
        sources.append(source)
        v[at - 7] = "site-" + v[2]
        out.append(",".join(v[:at] + [source, "ALM-000001" if source != "no-alarm" else ""] + v[at:]))
    with open(path, "w") as handle:
        handle.write("\n".join(out) + "\n")
    for s in manifest["scenarios"]:
        s["id"] = "site-" + s["rackId"]
    manifest["columns"] = out[0].split(",")
    manifest["site"] = {"siteId": "site", "from": "2025-06-01T00:00:00Z", "to": "2025-06-02T00:00:00Z", "racks": ["Rack0", "Rack1"],
                        "labelWindowBeforeS": 1200, "labelWindowAfterS": 600, "labelRules": ["fixture"],
                        "rowsBySource": {s: sources.count(s) for s in site_data.ALL_SOURCES}, "excludedTestRows": 0, "alarms": []}
    with open(os.path.join(directory, "dataset.json"), "w") as handle:
        json.dump(manifest, handle)
    return directory


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    return make_site_export(str(tmp_path_factory.mktemp("site")))


def test_an_export_is_read_with_its_label_sources_and_only_labelled_rows_are_mixed_into_fitting(synthetic, site_dir):
    site = site_data.load_site(site_dir, synthetic)
    assert {"true-alarm", "unjudged-alarm", "false-alarm", "no-alarm"} == set(site.source)
    X, y = synthetic.features(), synthetic.frame["Hazard_Label"].to_numpy().astype(np.int8)
    sid = synthetic.frame["Scenario_Id"].astype(str).to_numpy()
    fit_rows = np.arange(0, len(X), 3)
    X2, y2, sid2, fit2 = site_data.mix_in([site], X, y, sid, fit_rows)
    added = int(site.fitted.sum())
    assert added == int((site.source != "unjudged-alarm").sum())
    assert len(X2) == len(X) + added and len(y2) == len(sid2) == len(X2)
    assert np.array_equal(fit2[: len(fit_rows)], fit_rows) and np.array_equal(fit2[len(fit_rows):], np.arange(len(X), len(X2)))
    assert np.all(np.diff(fit2) > 0), "fitting rows stay sorted (the search's folds rely on it)"
    assert int(y2[len(X):].sum()) == int((site.source == "true-alarm").sum())
    np.testing.assert_array_equal(X2[len(X):], site.X[site.fitted])
    assert all(s.startswith("site:") for s in sid2[len(X):]) and not set(sid2[len(X):]) & set(sid)
    assert site_data.combined_hash(synthetic.data_hash, [site]) != synthetic.data_hash
    assert site_data.combined_hash(synthetic.data_hash, []) == synthetic.data_hash


def test_a_simulator_dataset_or_another_feature_schema_is_refused_as_a_site_export(synthetic, synthetic_dir, site_dir, tmp_path):
    with pytest.raises(DatasetError, match="not a site export"):
        site_data.load_site(synthetic_dir, synthetic)
    other = make_site_export(str(tmp_path / "other"))
    with open(os.path.join(other, "dataset.json")) as handle:
        manifest = json.load(handle)
    manifest["featureSchema"]["names"][-1] = "Something_Else"
    manifest["featureSchema"]["hash"] = data.schema_hash(manifest["featureSchema"]["names"])
    with open(os.path.join(other, "dataset.json"), "w") as handle:
        json.dump(manifest, handle)
    with pytest.raises(DatasetError):
        site_data.load_site(other, synthetic)


def test_training_on_the_mix_compares_the_candidate_with_the_active_model_on_the_same_test_rows(synthetic_dir, site_dir, tmp_path):
    run_dir = train(synthetic_dir, str(tmp_path / "runs"), quick=True, search_iter=0, only=["xgb_spw"],
                    sites=[site_dir], active_model=BUNDLED)
    with open(os.path.join(run_dir, "comparison.json")) as handle:
        comparison = json.load(handle)
    active, candidate = comparison["models"]["active"], comparison["models"]["candidate"]
    assert active["version"] == "2026.11.22-xgb-a93a4da9" and candidate["version"] != active["version"]
    assert active["test_rows"]["rows"] == candidate["test_rows"]["rows"] > 0
    assert active["test_events"]["runaway_modules"] == candidate["test_events"]["runaway_modules"] > 0
    assert comparison["sites"][0]["candidate"]["true-alarm"]["rows"] > 0
    with open(os.path.join(run_dir, "metrics.json")) as handle:
        metrics = json.load(handle)
    assert metrics["sites"][0]["fitted_rows"] == int(sum(v for k, v in metrics["sites"][0]["rows_by_source"].items() if k != "unjudged-alarm"))
    with open(os.path.join(run_dir, "report.md")) as handle:
        report = handle.read()
    assert f"| held-out simulator test | active {active['version']} | candidate {candidate['version']} |" in report


def test_an_active_model_of_another_feature_schema_is_refused(synthetic_dir, tmp_path):
    broken = tmp_path / "not-a-model.onnx"
    broken.write_bytes(b"not onnx")
    with pytest.raises(DatasetError, match="cannot be read as ONNX"):
        train(synthetic_dir, str(tmp_path / "runs"), quick=True, search_iter=0, only=["xgb_spw"], active_model=str(broken))
