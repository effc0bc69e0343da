"""End to end on the simulator's small dataset (the CI script sets HVS_SMALL_DATASET after generating
it with the C# dataset command; otherwise this test generates it with dotnet)."""
import json
import os
import shutil
import subprocess
import time

import numpy as np
import onnx
import pytest

from conftest import REPO
from hvs_training import data, onnx_eval, runs
from hvs_training.train import train

TRAIN_BUDGET_S = 120


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory):
    given = os.environ.get("HVS_SMALL_DATASET")
    if given:
        assert os.path.isfile(os.path.join(given, "dataset.json")), f"HVS_SMALL_DATASET={given} has no dataset.json"
        return given
    dotnet = shutil.which("dotnet")
    if dotnet is None:
        pytest.fail("dotnet is not on PATH: install the .NET 10 SDK or set HVS_SMALL_DATASET to a folder written by "
                    "`dotnet run -c Release --project src/HvsGrains.Simulation -- dataset --size small --out DIR`.")
    out = str(tmp_path_factory.mktemp("small-dataset"))
    cmd = [dotnet, "run", "-c", "Release", "--project", os.path.join(REPO, "src", "HvsGrains.Simulation"), "--",
           "dataset", "--size", "small", "--out", out]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, f"dataset command failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return out


def test_small_training_run_finishes_in_budget_and_exports_a_faithful_model(small_dataset, tmp_path):
    started = time.time()
    run_dir = train(small_dataset, str(tmp_path / "runs"), quick=True)
    elapsed = time.time() - started
    for name in ["hazard-model.onnx", "test-vectors.json", "report.md", "MODEL_CARD.md", "metrics.json", "params.json",
                 "split.json", "candidates.csv", "pr_curve.png", "lead_time_hist.png", "feature_importance.png", "calibration.png",
                 "anomaly-test-vectors.json", "anomaly-report.md"]:
        assert os.path.isfile(os.path.join(run_dir, name)), name
    with open(os.path.join(run_dir, "split.json")) as f:
        sp = json.load(f)
    assert set(sp["train"]).isdisjoint(sp["test"])
    with open(os.path.join(run_dir, "test-vectors.json")) as f:
        vectors = json.load(f)
    model = onnx.load(os.path.join(run_dir, "hazard-model.onnx"))
    X = np.asarray(vectors["inputs"], dtype=np.float32)
    np.testing.assert_allclose(onnx_eval.probabilities(model, X), vectors["probabilities"], atol=1e-5)
    assert [o.name for o in model.graph.output] == ["probabilities", "anomaly_score"]
    with open(os.path.join(run_dir, "metrics.json")) as f:
        metrics = json.load(f)
    assert {"rules", "logreg", "rf", "xgb_spw", "xgb_smote", "xgb_search"} <= set(metrics["candidates"])
    assert runs.read_index(str(tmp_path / "runs"))[-1]["run_id"] == os.path.basename(run_dir)
    assert elapsed < TRAIN_BUDGET_S, f"quick training took {elapsed:.0f} s (budget {TRAIN_BUDGET_S} s)"


def test_the_simulators_peer_figures_are_loaded_and_single_out_the_faulted_module(small_dataset):
    ds = data.load_dataset(small_dataset)
    for column in data.PEER_COLUMNS:
        assert column in ds.frame.columns, column
    frame = ds.frame
    # In the last ten minutes before PNR the module at fault stands out from its rack's peers; its peers do not.
    near_pnr = frame[(frame["Time_To_PNR_s"] > 0) & (frame["Time_To_PNR_s"] < 600)]
    faulted = near_pnr[near_pnr["Is_Fault_Module"] == 1]["Peer_Max_Surface_Above_Median_C"]
    benign = frame[frame["Is_Benign"] == 1]["Peer_Max_Surface_Above_Median_C"]
    assert len(faulted) > 0 and len(benign) > 0
    assert faulted.median() > 3.0
    assert benign.abs().quantile(0.95) < 2.0
