"""Reading, validating and hashing a simulator dataset (dataset.json + dataset.csv[.gz]).

The dataset is written by ``dotnet run --project src/HvsGrains.Simulation -- dataset``. Its feature
columns were computed by the module grain's own C# feature code; this module never recomputes them,
it only checks that they are there, in the manifest's order, finite, and that the file is complete.

Column layout (DatasetWriter.Columns): Timestamp, Module_ID, Rack_ID, the nine raw sensor columns,
Hazard_Label, Scenario_Id, Chemistry, Fault_Type, Severity, Is_Benign, Is_Fault_Module,
Time_To_PNR_s, then every feature in manifest order. The first nine feature names equal the raw
sensor column names (the value features), so columns are addressed by position, not by name.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
from typing import Dict, List, Optional

import numpy as np
import pandas as pd

MANIFEST_FILE = "dataset.json"

# Metadata columns the pipeline reads (raw sensor columns are skipped: features carry their imputed values).
META_COLUMNS = [
    "Timestamp", "Module_ID", "Hazard_Label", "Scenario_Id", "Chemistry", "Fault_Type",
    "Severity", "Is_Benign", "Time_To_PNR_s",
]
OPTIONAL_META = ["Is_Fault_Module", "Rack_ID"]
# The module against its rack's peers at the same time, by the rack grain's own C# PeerComparison
# (datasets of earlier simulators lack them). Kept beside the features for the event report and a
# model with peer features; not model inputs while the feature schema does not name them.
PEER_COLUMNS = ["Peer_Max_Surface_Above_Median_C", "Peer_Rise_10m_Above_Median_C", "Peer_Voltage_Sag_Percent"]
# A site export's columns (hvs export): where each row's label came from and the alarm behind it (site_data.py).
SITE_COLUMNS = ["Label_Source", "Alarm_Id"]
REQUIRED_MANIFEST_KEYS = ["featureSchema", "scenarios", "label", "dataFile"]


class DatasetError(Exception):
    """A dataset that cannot be trained on; the message says what is wrong and where."""


@dataclasses.dataclass
class Dataset:
    directory: str
    manifest: dict
    frame: pd.DataFrame            # meta columns + float32 feature columns, rows in file order
    feature_names: List[str]
    schema_version: str
    schema_hash: str
    data_hash: str                 # sha256 over the dataset files (see file_hash)
    scenarios: pd.DataFrame        # one row per scenario (manifest), indexed by id

    @property
    def sample_interval_s(self) -> float:
        return float(self.manifest.get("sampleIntervalS", 10.0))

    @property
    def label_window_s(self) -> float:
        return float(self.manifest["label"].get("predictionWindowS", 1200))

    @property
    def label_guard_s(self) -> float:
        return float(self.manifest["label"].get("guardBufferS", 30))

    @property
    def thin(self) -> int:
        return int((self.manifest.get("thinning") or {}).get("every", 1))

    def features(self, rows=None) -> np.ndarray:
        frame = self.frame if rows is None else self.frame.iloc[rows]
        return np.ascontiguousarray(frame[self.feature_names].to_numpy(dtype=np.float32))


def schema_hash(names: List[str]) -> str:
    """Same as C# FeatureSchema.ComputeHash: lower-case hex SHA-256 of the names joined by '\\n'."""
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()


def file_hash(paths: List[str]) -> str:
    """SHA-256 over the files in name order: for each, its base name, a NUL byte, then its bytes."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=os.path.basename):
        digest.update(os.path.basename(path).encode("utf-8") + b"\0")
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 22), b""):
                digest.update(block)
    return digest.hexdigest()


def read_manifest(directory: str) -> dict:
    if not os.path.isdir(directory):
        raise DatasetError(f"Dataset folder '{directory}' does not exist.")
    path = os.path.join(directory, MANIFEST_FILE)
    if not os.path.isfile(path):
        raise DatasetError(f"'{path}' is missing: a dataset folder needs the manifest the simulator writes beside the CSV.")
    try:
        with open(path, "r", encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise DatasetError(f"'{path}' is not valid JSON ({error}); the dataset is corrupted, regenerate it.") from error
    if not isinstance(manifest, dict):
        raise DatasetError(f"'{path}' is not a JSON object.")
    missing = [k for k in REQUIRED_MANIFEST_KEYS if k not in manifest]
    if missing:
        raise DatasetError(f"'{path}' lacks {', '.join(missing)}.")
    fs = manifest["featureSchema"]
    names = fs.get("names") if isinstance(fs, dict) else None
    if not names or not isinstance(names, list):
        raise DatasetError(f"'{path}': featureSchema.names is empty.")
    if len(set(names)) != len(names):
        raise DatasetError(f"'{path}': featureSchema.names has duplicates.")
    computed = schema_hash(names)
    if str(fs.get("hash", "")).lower() != computed:
        raise DatasetError(
            f"'{path}': featureSchema.hash {fs.get('hash')} does not match the hash of its names ({computed}); the manifest is corrupted.")
    if not manifest["scenarios"]:
        raise DatasetError(f"'{path}' lists no scenarios: the dataset is empty.")
    return manifest


def _data_path(directory: str, manifest: dict) -> str:
    path = os.path.join(directory, manifest["dataFile"])
    if not os.path.isfile(path):
        raise DatasetError(f"Data file '{path}' named by the manifest is missing.")
    if os.path.getsize(path) == 0:
        raise DatasetError(f"Data file '{path}' is empty (0 bytes).")
    return path


def _header(path: str) -> List[str]:
    try:
        header = pd.read_csv(path, nrows=0, compression="infer").columns
    except pd.errors.EmptyDataError as error:
        raise DatasetError(f"Data file '{path}' has no header line.") from error
    except Exception as error:  # gzip errors, decoding errors
        raise DatasetError(f"Data file '{path}' cannot be read: {error}") from error
    # pandas de-duplicates repeated names with '.1'; the raw sensor columns repeat as value features.
    return [c.split(".")[0] if "." in c and c.rsplit(".", 1)[1].isdigit() else c for c in header]


def scenario_table(manifest: dict) -> pd.DataFrame:
    rows = []
    for s in manifest["scenarios"]:
        pnr = s.get("pnrTimes") or {}
        rows.append({
            "Scenario_Id": s["id"],
            "Chemistry": s.get("chemistry", ""),
            "Fault_Type": s.get("fault", ""),
            "Severity": int(s.get("severity", 0)),
            "Is_Benign": bool(s.get("isBenign", False)),
            "Module_Count": int(s.get("moduleCount", len(pnr) or 1)),
            "Duration_s": float(s.get("durationS", 0.0)),
            "Fault_Start_s": float(s.get("faultStartS", 0.0)),
            "Start": pd.Timestamp(s["start"]).tz_convert("UTC") if s.get("start") else pd.NaT,
            "Fault_Module": s.get("faultModule", ""),
            "Pnr_Modules": sorted(m for m, t in pnr.items() if t),
            "Rows": int(s.get("rows", -1)),
        })
    table = pd.DataFrame(rows)
    if table["Scenario_Id"].duplicated().any():
        raise DatasetError("The manifest lists a scenario id twice.")
    table["Has_Pnr"] = table["Pnr_Modules"].map(bool)
    return table.set_index("Scenario_Id", drop=False)


def load_dataset(directory: str, cache_dir: Optional[str] = None) -> Dataset:
    """Reads and validates a dataset folder; raises DatasetError with a clear message when it is unusable."""
    manifest = read_manifest(directory)
    path = _data_path(directory, manifest)
    names = list(manifest["featureSchema"]["names"])
    header = _header(path)
    f = len(names)
    if len(header) < f or header[-f:] != names:
        tail = header[-f:] if len(header) >= f else header
        first_bad = next((i for i, (a, b) in enumerate(zip(tail, names)) if a != b), min(len(tail), f))
        raise DatasetError(
            f"'{path}': the last {f} columns must be the manifest's features in order; "
            f"they differ at feature {first_bad} ('{tail[first_bad] if first_bad < len(tail) else '<missing>'}' vs '{names[first_bad] if first_bad < f else '<none>'}').")
    meta_part = header[:-f]
    missing = [c for c in META_COLUMNS if c not in meta_part]
    if missing:
        raise DatasetError(f"'{path}' lacks column(s) {', '.join(missing)}.")

    data_hash = file_hash([os.path.join(directory, MANIFEST_FILE), path])
    cache_file = os.path.join(cache_dir, f"dataset-{data_hash[:16]}.pkl") if cache_dir else None
    if cache_file and os.path.isfile(cache_file):
        with open(cache_file, "rb") as handle:
            frame = pickle.load(handle)
    else:
        frame = _read_frame(path, header, meta_part, names)
        if cache_file:
            os.makedirs(cache_dir, exist_ok=True)
            with open(cache_file + ".tmp", "wb") as handle:
                pickle.dump(frame, handle, protocol=4)
            os.replace(cache_file + ".tmp", cache_file)

    scenarios = scenario_table(manifest)
    _check_frame(frame, names, manifest, scenarios, path)
    fs = manifest["featureSchema"]
    return Dataset(directory, manifest, frame, names, fs.get("version", ""), fs["hash"].lower(), data_hash, scenarios)


def _read_frame(path: str, header: List[str], meta_part: List[str], names: List[str]) -> pd.DataFrame:
    # Unique internal names: metadata by its name, raw sensor columns skipped, features by name.
    internal = [f"meta:{c}" for c in meta_part] + names
    wanted_meta = [c for c in META_COLUMNS + OPTIONAL_META + PEER_COLUMNS + SITE_COLUMNS if c in meta_part]
    usecols = [f"meta:{c}" for c in wanted_meta] + names
    dtypes: Dict[str, object] = {n: np.float32 for n in names}
    dtypes.update({
        "meta:Module_ID": "category", "meta:Rack_ID": "category", "meta:Scenario_Id": "category",
        "meta:Chemistry": "category", "meta:Fault_Type": "category", "meta:Timestamp": str,
        "meta:Hazard_Label": np.float64, "meta:Severity": np.float64, "meta:Is_Benign": np.float64,
        "meta:Is_Fault_Module": np.float64, "meta:Time_To_PNR_s": np.float64,
    })
    dtypes.update({f"meta:{c}": np.float32 for c in PEER_COLUMNS})
    dtypes.update({f"meta:{c}": str for c in SITE_COLUMNS})
    dtypes = {k: v for k, v in dtypes.items() if k in usecols}
    try:
        frame = pd.read_csv(path, header=0, names=internal, usecols=usecols, dtype=dtypes,
                            compression="infer", engine="c", na_filter=True)
    except (ValueError, pd.errors.ParserError) as error:
        raise DatasetError(f"'{path}' is corrupted: {error}") from error
    except EOFError as error:
        raise DatasetError(f"'{path}' is truncated: {error}") from error
    frame.columns = [c[5:] if c.startswith("meta:") else c for c in frame.columns]
    if len(frame) == 0:
        raise DatasetError(f"Data file '{path}' has a header but no rows: the dataset is empty.")
    for col in ["Hazard_Label", "Severity", "Is_Benign", "Is_Fault_Module"]:
        if col in frame:
            if frame[col].isna().any():
                raise DatasetError(f"'{path}': column {col} has empty values (row {int(np.flatnonzero(frame[col].isna())[0]) + 2}).")
            frame[col] = frame[col].astype(np.int16)
    try:
        ts = pd.to_datetime(frame["Timestamp"], utc=True)
    except (ValueError, TypeError) as error:
        raise DatasetError(f"'{path}': a Timestamp is not ISO 8601: {error}") from error
    frame["Time_s"] = (ts.astype("int64") // 1000) / 1e6
    frame.drop(columns=["Timestamp"], inplace=True)
    return frame


def _check_frame(frame: pd.DataFrame, names: List[str], manifest: dict, scenarios: pd.DataFrame, path: str) -> None:
    values = frame[names].to_numpy(dtype=np.float32)
    finite = np.isfinite(values)
    if not finite.all():
        row, col = np.argwhere(~finite)[0]
        raise DatasetError(
            f"'{path}': feature {names[col]} is empty or not finite at data row {row + 1}; "
            "the feature code imputes every value, so the file is corrupted.")
    labels = frame["Hazard_Label"].to_numpy()
    if not np.isin(labels, (0, 1)).all():
        raise DatasetError(f"'{path}': Hazard_Label must be 0 or 1.")
    expected = manifest.get("rows")
    if isinstance(expected, int) and expected != len(frame):
        raise DatasetError(f"'{path}' has {len(frame)} rows but the manifest says {expected}: the file is truncated or corrupted.")
    unknown = set(frame["Scenario_Id"].astype(str).unique()) - set(scenarios.index)
    if unknown:
        raise DatasetError(f"'{path}': scenario(s) {sorted(unknown)[:3]} are not in the manifest.")
    if "Is_Fault_Module" not in frame:
        fault_module = frame["Scenario_Id"].astype(str).map(scenarios["Fault_Module"])
        is_fault = (frame["Module_ID"].astype(str) == fault_module) & (frame["Is_Benign"] == 0)
        frame["Is_Fault_Module"] = is_fault.astype(np.int16)


def require_trainable(ds: Dataset) -> None:
    """Training needs positives and negatives in the data and both fault and benign scenarios."""
    positives = int(ds.frame["Hazard_Label"].sum())
    if positives == 0:
        raise DatasetError(f"'{ds.directory}' has no positive rows (Hazard_Label = 1): no scenario reached PNR.")
    if positives == len(ds.frame):
        raise DatasetError(f"'{ds.directory}' has no negative rows.")
    if not ds.scenarios["Has_Pnr"].any():
        raise DatasetError(f"'{ds.directory}' has no runaway scenario.")
