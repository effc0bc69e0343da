"""The rules-only baseline: the silo's deterministic safety rules on the dataset's feature columns.

Thresholds are the defaults of src/HvsGrains.Grains/Hazard/HazardRuleOptions.cs (Watch / Warning /
Critical). Simplifications against HazardPolicy: no hysteresis (ClearMargin / ClearHoldTime) and no
voltage-floor rule (disabled by default); each reading gets the highest level any rule reaches, and
the event evaluation treats "level >= Warning" as the alarm, like the model's warning threshold.
Inputs are the same feature values the grain hands to HazardInputs.FromFeatures.
"""
from __future__ import annotations

from typing import Dict, Tuple

import numpy as np
import pandas as pd

# (feature or derived measure) -> (watch, warning, critical), HazardRuleOptions defaults.
RULES: Dict[str, Tuple[float, float, float]] = {
    "Module_Max_Surface_Temp_C": (55.0, 80.0, 120.0),
    "Slope_1m_Module_Max_Surface_Temp_C_per_min": (2.0, 5.0, 10.0),
    "Sim_OffGas_CO_ppm_proxy": (25.0, 50.0, 200.0),
    "Sim_OffGas_H2_ppm_proxy": (10.0, 50.0, 400.0),
    "Sim_OffGas_VOC_ppm_proxy": (5.0, 20.0, 100.0),
    "VoltageDropPercent1m": (3.0, 6.0, 12.0),
}
WARNING_LEVEL = 2


def voltage_drop_percent(frame: pd.DataFrame) -> np.ndarray:
    v = frame["Module_Voltage_V"].to_numpy(dtype=np.float64)
    drop = frame["Drop_1m_Module_Voltage_V"].to_numpy(dtype=np.float64)
    start = v + drop
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(start > 0, drop / start * 100.0, 0.0)
    return pct


def rule_levels(frame: pd.DataFrame) -> np.ndarray:
    """Highest rule level per row: 0 Normal, 1 Watch, 2 Warning, 3 Critical."""
    level = np.zeros(len(frame), dtype=np.int8)
    for name, thresholds in RULES.items():
        value = voltage_drop_percent(frame) if name == "VoltageDropPercent1m" else frame[name].to_numpy(dtype=np.float64)
        for lvl, t in enumerate(thresholds, start=1):
            level = np.maximum(level, np.where(value >= t, lvl, 0).astype(np.int8))
    return level


def rule_scores(frame: pd.DataFrame) -> np.ndarray:
    """Levels as a score in [0, 1] (level / 3), so the baseline fits the same evaluation as a model;
    its alarm threshold is Warning = 2/3."""
    return rule_levels(frame).astype(np.float64) / 3.0


WARNING_SCORE = WARNING_LEVEL / 3.0
