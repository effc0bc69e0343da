"""Shared fixtures: the package on sys.path and small synthetic datasets in the simulator's format."""
import json
import os
import sys

import numpy as np
import pandas as pd
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
REPO = os.path.dirname(os.path.dirname(ROOT))

from hvs_training import data  # noqa: E402

SENSORS = ["Module_Voltage_V", "Module_Current_A", "Module_SoC_percent", "Module_Avg_Surface_Temp_C",
           "Module_Max_Surface_Temp_C", "Ambient_Temp_C", "Sim_OffGas_CO_ppm_proxy", "Sim_OffGas_H2_ppm_proxy",
           "Sim_OffGas_VOC_ppm_proxy"]
# The C# FeatureSchema.Current hash of "hvs-features/1" (FeatureLayout.BuildNames()).
CSHARP_SCHEMA_HASH = "7cac6e894866fbdae1c7147931c9afdf664060d3ba9442a6383f4a1aac691edf"


def feature_names():
    """Mirror of FeatureLayout.BuildNames() (names only; used to build fixtures and checked against the C# hash)."""
    names = [None] * 79
    for c, col in enumerate(SENSORS):
        names[c] = col
        names[9 + c] = f"Delta_{col}"
        for w, label in enumerate(["1m", "5m", "10m"]):
            i = 21 + ((w * 9) + c) * 2
            names[i] = f"Rolling_mean_{label}_{col}"
            names[i + 1] = f"Rolling_std_{label}_{col}"
    for r, col in enumerate(["Module_Avg_Surface_Temp_C", "Module_Max_Surface_Temp_C", "Ambient_Temp_C"]):
        names[18 + r] = f"Rate_{col}_per_s"
    names[75:] = ["Surface_Spread_Max_minus_Avg_C", "Surface_Avg_minus_Ambient_C",
                  "Slope_1m_Module_Max_Surface_Temp_C_per_min", "Drop_1m_Module_Voltage_V"]
    return names


META = ["Timestamp", "Module_ID", "Rack_ID"] + SENSORS + ["Hazard_Label", "Scenario_Id", "Chemistry", "Fault_Type",
                                                          "Severity", "Is_Benign", "Is_Fault_Module", "Time_To_PNR_s"]


def make_dataset(directory, n_fault=8, n_benign=6, modules=3, hours=2.0, seed=1, window_s=1200, guard_s=30):
    """Writes dataset.csv + dataset.json with the simulator's columns. Fault scenarios heat their
    faulted module exponentially to PNR; benign ones stay near ambient with noise."""
    rng = np.random.default_rng(seed)
    names = feature_names()
    start0 = pd.Timestamp("2025-06-01T00:00:00Z")
    rows, scenarios = [], []
    kinds = [("InternalShort", False), ("Overcharge", False)] * n_fault + [("None", True), ("SensorFault", True)] * n_benign
    kinds = kinds[:n_fault] + [k for k in kinds if k[1]][:n_benign]
    steps = int(hours * 360)
    for s, (fault, benign) in enumerate(kinds):
        chem = "NMC" if s % 2 == 0 else "LFP"
        sev = 1 + s % 3
        sid = f"{chem.title()}-{fault}-S{sev}-{s:05d}"
        rack = f"Rack{s}"
        start = start0 + pd.Timedelta(hours=3 * s)
        fault_start = 1800.0
        pnr_s = None if benign else fault_start + 1800 + 600 * sev
        pnr = {}
        for m in range(modules):
            mid = f"{rack}_Module{m + 1:02d}"
            is_fault = m == 0
            has_pnr = (not benign) and is_fault
            pnr[mid] = (start + pd.Timedelta(seconds=pnr_s)).isoformat().replace("+00:00", "Z") if has_pnr else None
            for i in range(steps):
                t = 10.0 * (i + 1)
                ts = start + pd.Timedelta(seconds=t)
                heat = 0.0
                if has_pnr and t > fault_start:
                    heat = 100.0 * np.expm1((t - fault_start) / (pnr_s - fault_start) * 2.0) / np.expm1(2.0)
                temp = 25.0 + heat + rng.normal(0, 0.3)
                f = rng.normal(0, 1, size=79).astype(np.float32)
                f[0], f[4], f[3], f[5], f[6] = 52.0, temp, temp - 1, 24.0, 1.0 + heat * 0.5
                f[77] = heat / 30.0 + rng.normal(0, 0.1)
                f[78] = 0.0
                ttp = (pnr_s - t) if has_pnr else None
                label = int(ttp is not None and window_s >= ttp >= guard_s)
                raw = [f[0], f[1], 50.0, f[3], f[4], f[5], f[6], 0.5, "" if i % 7 == 0 else 0.1]
                rows.append([ts.strftime("%Y-%m-%dT%H:%M:%SZ"), mid, rack] + raw +
                            [label, sid, chem, fault, sev, int(benign), int(is_fault), "" if ttp is None else ttp] + list(f))
        scenarios.append({"id": sid, "chemistry": chem, "fault": fault, "severity": sev, "isBenign": benign, "seed": s,
                          "rackId": rack, "moduleCount": modules, "faultModule": f"{rack}_Module01",
                          "start": start.isoformat(), "durationS": hours * 3600, "faultStartS": fault_start,
                          "pnrTimes": pnr, "rows": steps * modules, "positives": 0})
    os.makedirs(directory, exist_ok=True)
    frame = pd.DataFrame(rows)
    frame.to_csv(os.path.join(directory, "dataset.csv"), header=META + names, index=False)
    manifest = {"generator": "fixture", "generatorVersion": "test", "commandLine": "fixture", "dataFile": "dataset.csv",
                "gzip": False, "selection": "fixture", "seed": seed, "sampleIntervalS": 10,
                "label": {"predictionWindowS": window_s, "guardBufferS": guard_s, "definition": "fixture"},
                "thinning": {"every": 1, "appliesTo": ""},
                "featureSchema": {"version": "hvs-features/1", "hash": data.schema_hash(names), "names": names},
                "columns": META + names, "rows": len(rows), "positives": int(frame[12].sum()),
                "moduleDays": len(scenarios) * modules * hours / 24, "scenarios": scenarios}
    with open(os.path.join(directory, "dataset.json"), "w") as handle:
        json.dump(manifest, handle)
    return directory


@pytest.fixture(scope="session")
def synthetic_dir(tmp_path_factory):
    return make_dataset(str(tmp_path_factory.mktemp("synthetic")))


@pytest.fixture(scope="session")
def synthetic(synthetic_dir):
    return data.load_dataset(synthetic_dir)
