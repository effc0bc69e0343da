"""What the anomaly forest looks at: 19 inputs derived from the hazard model's 79 features inside the graph.

An Isolation Forest over all 79 features spends most of its splits on features that do not tell a sensor defect
from normal operation (a stuck thermistor changes 2 of 79), so it flagged 0.3 % of the sensor-fault readings.
The forest sees instead:
- how much each surface temperature moves: rolling std / (std + 0.05 °C) over 1, 5 and 10 minutes for the average
  and the hottest thermistor, and over 10 minutes for ambient and voltage (0 for a frozen channel, near 1 for a
  lively one, bounded so a spike does not stretch the range);
- how far the surface sits above the air around it: surface minus ambient, now and over 1 and 10 minutes (a
  drifting thermistor reads ever warmer than the air while nothing heats the module);
- what the module is doing: load (10-minute std and mean of the current), voltage, state of charge, and the
  spread between the hottest and the average thermistor.
Every input is one IEEE float32 operation on the features (Gather, Sub, Add, Div), so numpy here and ONNX Runtime
in the silo compute the same bits and the score keeps its 1e-5 parity.
"""
from __future__ import annotations

from typing import List, Sequence, Tuple

import numpy as np
from onnx import helper, numpy_helper

AVG, MAX, AMBIENT = "Module_Avg_Surface_Temp_C", "Module_Max_Surface_Temp_C", "Ambient_Temp_C"
STD_SCALE_C = 0.05  # a sensor's noise is ~0.15 °C: a lively channel's ratio is near 1, a frozen one's 0

MOVEMENT: List[str] = [f"Rolling_std_{w}_{ch}" for w in ("1m", "5m", "10m") for ch in (AVG, MAX)] + [
    f"Rolling_std_10m_{AMBIENT}", "Rolling_std_10m_Module_Voltage_V"]
ABOVE_AIR: List[Tuple[str, str]] = [(AVG, AMBIENT), (MAX, AMBIENT)] + [
    (f"Rolling_mean_{w}_{ch}", f"Rolling_mean_{w}_{AMBIENT}") for w in ("1m", "10m") for ch in (AVG, MAX)]
STATE: List[str] = ["Rolling_std_10m_Module_Current_A", "Rolling_mean_10m_Module_Current_A", "Module_Voltage_V",
                    "Module_SoC_percent", "Surface_Spread_Max_minus_Avg_C"]


def names() -> List[str]:
    """The derived inputs' names, in the forest's column order (for the report and the metadata)."""
    return ([f"{n} / ({n} + {STD_SCALE_C})" for n in MOVEMENT] + [f"{a} - {b}" for a, b in ABOVE_AIR] + list(STATE))


def count() -> int:
    return len(MOVEMENT) + len(ABOVE_AIR) + len(STATE)


def bounded() -> np.ndarray:
    """Mask of the inputs that live in [0, 1) whatever the readings (the movement ratios)."""
    return np.arange(count()) < len(MOVEMENT)


def _index(feature_names: Sequence[str], wanted: Sequence[str]) -> np.ndarray:
    where = {n: i for i, n in enumerate(feature_names)}
    missing = [n for n in wanted if n not in where]
    if missing:
        raise ValueError(f"The features lack {', '.join(missing)}, which the anomaly score is built from.")
    return np.asarray([where[n] for n in wanted], dtype=np.int64)


def derive(X: np.ndarray, feature_names: Sequence[str]) -> np.ndarray:
    """The forest's inputs from feature rows, float32 operation by operation as the graph computes them."""
    X = np.asarray(X, dtype=np.float32)
    std = X[:, _index(feature_names, MOVEMENT)]
    movement = std / (std + np.float32(STD_SCALE_C))
    above = X[:, _index(feature_names, [a for a, _ in ABOVE_AIR])] - X[:, _index(feature_names, [b for _, b in ABOVE_AIR])]
    state = X[:, _index(feature_names, STATE)]
    return np.ascontiguousarray(np.concatenate([movement, above, state], axis=1), dtype=np.float32)


def graph_part(input_name: str, feature_names: Sequence[str], prefix: str, output: str):
    """The nodes and initializers that compute derive() in ONNX from `input_name` into `output` [N, count()]."""
    p = prefix
    initializers = [
        numpy_helper.from_array(_index(feature_names, MOVEMENT), p + "movement_columns"),
        numpy_helper.from_array(_index(feature_names, [a for a, _ in ABOVE_AIR]), p + "surface_columns"),
        numpy_helper.from_array(_index(feature_names, [b for _, b in ABOVE_AIR]), p + "air_columns"),
        numpy_helper.from_array(_index(feature_names, STATE), p + "state_columns"),
        numpy_helper.from_array(np.asarray([STD_SCALE_C], dtype=np.float32), p + "std_scale"),
    ]
    nodes = [
        helper.make_node("Gather", [input_name, p + "movement_columns"], [p + "std"], axis=1, name=p + "std"),
        helper.make_node("Add", [p + "std", p + "std_scale"], [p + "std_plus_scale"], name=p + "std_plus_scale"),
        helper.make_node("Div", [p + "std", p + "std_plus_scale"], [p + "movement"], name=p + "movement"),
        helper.make_node("Gather", [input_name, p + "surface_columns"], [p + "surface"], axis=1, name=p + "surface"),
        helper.make_node("Gather", [input_name, p + "air_columns"], [p + "air"], axis=1, name=p + "air"),
        helper.make_node("Sub", [p + "surface", p + "air"], [p + "above_air"], name=p + "above_air"),
        helper.make_node("Gather", [input_name, p + "state_columns"], [p + "state"], axis=1, name=p + "state"),
        helper.make_node("Concat", [p + "movement", p + "above_air", p + "state"], [output], axis=1, name=p + "inputs"),
    ]
    return nodes, initializers
