import gzip
import json
import os
import shutil

import numpy as np
import pytest

from conftest import CSHARP_SCHEMA_HASH, feature_names, make_dataset
from hvs_training import data
from hvs_training.data import DatasetError


def test_feature_names_hash_matches_the_csharp_schema():
    assert data.schema_hash(feature_names()) == CSHARP_SCHEMA_HASH


def test_loads_features_in_manifest_order(synthetic):
    assert synthetic.feature_names == feature_names()
    X = synthetic.features()
    assert X.dtype == np.float32 and X.shape == (len(synthetic.frame), 79)
    assert synthetic.schema_hash == CSHARP_SCHEMA_HASH
    assert len(synthetic.data_hash) == 64
    # the value feature (not the raw column with the same name) is what is read
    assert np.isfinite(X).all()
    assert synthetic.frame["Hazard_Label"].sum() > 0


def copy(src, tmp_path):
    dst = str(tmp_path / "ds")
    shutil.copytree(src, dst)
    return dst


def expect(directory, *fragments):
    with pytest.raises(DatasetError) as info:
        data.load_dataset(directory)
    message = str(info.value)
    for f in fragments:
        assert f in message, message
    return message


def test_missing_folder(tmp_path):
    expect(str(tmp_path / "nope"), "does not exist")


def test_missing_manifest(synthetic_dir, tmp_path):
    d = copy(synthetic_dir, tmp_path)
    os.remove(os.path.join(d, "dataset.json"))
    expect(d, "dataset.json", "missing")


def test_manifest_not_json(synthetic_dir, tmp_path):
    d = copy(synthetic_dir, tmp_path)
    with open(os.path.join(d, "dataset.json"), "w") as f:
        f.write('{"featureSchema": [1, 2')
    expect(d, "not valid JSON")


def test_empty_data_file(synthetic_dir, tmp_path):
    d = copy(synthetic_dir, tmp_path)
    open(os.path.join(d, "dataset.csv"), "w").close()
    expect(d, "empty")


def test_header_only(synthetic_dir, tmp_path):
    d = copy(synthetic_dir, tmp_path)
    path = os.path.join(d, "dataset.csv")
    with open(path) as f:
        header = f.readline()
    with open(path, "w") as f:
        f.write(header)
    expect(d, "no rows", "empty")


def test_empty_manifest_scenarios(synthetic_dir, tmp_path):
    d = copy(synthetic_dir, tmp_path)
    path = os.path.join(d, "dataset.json")
    m = json.load(open(path))
    m["scenarios"] = []
    json.dump(m, open(path, "w"))
    expect(d, "no scenarios")


def test_truncated_file(synthetic_dir, tmp_path):
    d = copy(synthetic_dir, tmp_path)
    path = os.path.join(d, "dataset.csv")
    with open(path) as f:
        lines = f.readlines()
    with open(path, "w") as f:
        f.writelines(lines[: len(lines) // 2])
    expect(d, "truncated")


def test_garbage_in_a_feature(synthetic_dir, tmp_path):
    d = copy(synthetic_dir, tmp_path)
    path = os.path.join(d, "dataset.csv")
    with open(path) as f:
        lines = f.readlines()
    cells = lines[5].rstrip("\n").split(",")
    cells[-3] = "not-a-number"
    lines[5] = ",".join(cells) + "\n"
    with open(path, "w") as f:
        f.writelines(lines)
    expect(d, "corrupted")


def test_empty_feature_value(synthetic_dir, tmp_path):
    d = copy(synthetic_dir, tmp_path)
    path = os.path.join(d, "dataset.csv")
    with open(path) as f:
        lines = f.readlines()
    cells = lines[9].rstrip("\n").split(",")
    cells[-1] = ""
    lines[9] = ",".join(cells) + "\n"
    with open(path, "w") as f:
        f.writelines(lines)
    expect(d, "Drop_1m_Module_Voltage_V", "not finite")


def test_feature_order_differs_from_manifest(synthetic_dir, tmp_path):
    d = copy(synthetic_dir, tmp_path)
    path = os.path.join(d, "dataset.json")
    m = json.load(open(path))
    names = m["featureSchema"]["names"]
    names[10], names[11] = names[11], names[10]
    m["featureSchema"]["hash"] = data.schema_hash(names)
    json.dump(m, open(path, "w"))
    expect(d, "feature 10")


def test_schema_hash_mismatch(synthetic_dir, tmp_path):
    d = copy(synthetic_dir, tmp_path)
    path = os.path.join(d, "dataset.json")
    m = json.load(open(path))
    m["featureSchema"]["hash"] = "0" * 64
    json.dump(m, open(path, "w"))
    expect(d, "does not match")


def test_gzip_dataset(synthetic_dir, tmp_path):
    d = copy(synthetic_dir, tmp_path)
    with open(os.path.join(d, "dataset.csv"), "rb") as src, gzip.open(os.path.join(d, "dataset.csv.gz"), "wb") as dst:
        shutil.copyfileobj(src, dst)
    os.remove(os.path.join(d, "dataset.csv"))
    path = os.path.join(d, "dataset.json")
    m = json.load(open(path))
    m["dataFile"] = "dataset.csv.gz"
    json.dump(m, open(path, "w"))
    assert len(data.load_dataset(d).frame) == m["rows"]


def test_no_positives_is_not_trainable(tmp_path):
    d = make_dataset(str(tmp_path / "benign"), n_fault=0, n_benign=3, hours=0.5)
    ds = data.load_dataset(d)
    with pytest.raises(DatasetError, match="no positive rows"):
        data.require_trainable(ds)


def test_data_hash_changes_with_content(synthetic_dir, tmp_path):
    d = copy(synthetic_dir, tmp_path)
    before = data.file_hash([os.path.join(d, "dataset.json"), os.path.join(d, "dataset.csv")])
    with open(os.path.join(d, "dataset.csv"), "a") as f:
        f.write("\n")
    after = data.file_hash([os.path.join(d, "dataset.json"), os.path.join(d, "dataset.csv")])
    assert before != after
