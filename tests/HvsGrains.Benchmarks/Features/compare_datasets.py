"""Compares the feature columns of two datasets written by `dataset` (same scenarios, two builds of the
feature code) and the bundled model's probabilities on each: how far a change of the feature code moves
what the model sees. Usage: /usr/bin/python3 compare_datasets.py OLD_DIR NEW_DIR [MODEL.onnx]"""
import json
import sys
from pathlib import Path

import numpy as np
import onnx
import pandas as pd

repo = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(repo / "src" / "training"))
from hvs_training import onnx_eval  # noqa: E402

old_dir, new_dir = Path(sys.argv[1]), Path(sys.argv[2])
model_path = Path(sys.argv[3]) if len(sys.argv) > 3 else repo / "src/HvsGrains.Silo/BundledModel/hazard-model.onnx"
names = json.loads((old_dir / "dataset.json").read_text())["featureSchema"]["names"]
old = pd.read_csv(old_dir / "dataset.csv").iloc[:, -len(names):].to_numpy(np.float64)
new = pd.read_csv(new_dir / "dataset.csv").iloc[:, -len(names):].to_numpy(np.float64)
assert old.shape == new.shape, "the datasets differ in shape: not the same scenarios"

diff = np.abs(old - new)
rel = diff / np.maximum(np.abs(old), 1e-3)
print(f"rows {old.shape[0]:,}, features {old.shape[1]}, differing values {int((diff > 0).sum()):,} of {diff.size:,}")
for j in np.argsort(-rel.max(axis=0))[:5]:
    print(f"  {names[j]:42s} max abs {diff[:, j].max():.3g}  max rel {rel[:, j].max():.3g}")

model = onnx.load(str(model_path))
p_old = onnx_eval.probabilities(model, old.astype(np.float32))
p_new = onnx_eval.probabilities(model, new.astype(np.float32))
print(f"model probability: max abs difference {np.abs(p_old - p_new).max():.3g}")
thresholds = json.loads({p.key: p.value for p in model.metadata_props}["hvs.thresholds"])
for level, t in thresholds.items():
    flipped = int(((p_old >= t) != (p_new >= t)).sum())
    print(f"  {level} ({t:.4f}): rows at or above it {int((p_old >= t).sum()):,} before, {int((p_new >= t).sum()):,} after, {flipped} crossed")
