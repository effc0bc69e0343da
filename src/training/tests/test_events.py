import numpy as np
import pandas as pd
import pytest

from hvs_training import data, events, rules_baseline


def frame_and_scenarios():
    """Scenario F (fault): module A reaches PNR at t=3000 s (fault starts at 1000 s), module B is a
    neighbour. Scenario B (benign, 1 day x 2 modules). Readings every 10 s."""
    start = pd.Timestamp("2025-01-01T00:00:00Z")
    rows = []
    for t in range(10, 4001, 10):
        rows.append(("F", "F_A", t, 3000.0 - t))
        rows.append(("F", "F_B", t, np.nan))
    for t in range(10, 86401, 10):
        rows.append(("B", "B_A", t, np.nan))
        rows.append(("B", "B_B", t, np.nan))
    f = pd.DataFrame(rows, columns=["Scenario_Id", "Module_ID", "t", "Time_To_PNR_s"])
    f["Time_s"] = start.value / 1e9 + f["t"]
    sc = pd.DataFrame([
        {"Scenario_Id": "F", "Chemistry": "NMC", "Fault_Type": "InternalShort", "Severity": 3, "Is_Benign": False, "Module_Count": 2,
         "Duration_s": 4000.0, "Fault_Start_s": 1000.0, "Start": start, "Fault_Module": "F_A", "Pnr_Modules": ["F_A"], "Rows": 0},
        {"Scenario_Id": "B", "Chemistry": "LFP", "Fault_Type": "SensorFault", "Severity": 1, "Is_Benign": True, "Module_Count": 2,
         "Duration_s": 86400.0, "Fault_Start_s": 0.0, "Start": start, "Fault_Module": "B_A", "Pnr_Modules": [], "Rows": 0},
    ]).set_index("Scenario_Id", drop=False)
    return f, sc


def test_lead_time_and_false_alarms():
    f, sc = frame_and_scenarios()
    p = np.zeros(len(f))
    # runaway module alarms from t = 2400 (600 s before PNR) on
    p[(f.Module_ID == "F_A") & (f.t >= 2400)] = 0.9
    # one benign blip of 1 reading, then a 3-reading burst, then another 3-reading burst within the 2-min hold
    blip = (f.Module_ID == "B_A") & (f.t == 5000)
    burst = (f.Module_ID == "B_B") & f.t.between(20000, 20020)
    burst2 = (f.Module_ID == "B_B") & f.t.between(20080, 20100)
    p[blip | burst | burst2] = 0.95
    idx = events.EventIndex(f, sc)
    r1 = idx.evaluate(p, 0.5, k=1)
    assert r1["runaway_modules"] == 1 and r1["event_recall"] == 1.0
    assert r1["median_lead_s"] == pytest.approx(600.0)
    # blip + one merged burst = 2 episodes in 2 module-days
    assert r1["fa_episodes"] == 2
    assert r1["benign_module_days"] == pytest.approx(2.0)
    assert r1["fa_per_1000_module_days"] == pytest.approx(1000.0)
    # k = 3 drops the single-reading blip; the first 3-in-a-row on the runaway is 20 s later
    r3 = idx.evaluate(p, 0.5, k=3)
    assert r3["fa_episodes"] == 1
    assert r3["median_lead_s"] == pytest.approx(580.0)
    # sweep agrees with evaluate
    sw = idx.sweep(p, 3, [0.5, 0.99])
    assert sw.loc[0, "fa_episodes"] == 1 and sw.loc[0, "recall"] == 1.0 and sw.loc[0, "median_lead_s"] == pytest.approx(580.0)
    assert sw.loc[1, "recall"] == 0.0 and sw.loc[1, "fa_episodes"] == 0


def test_alarms_before_fault_start_or_after_pnr_do_not_count_as_detection():
    f, sc = frame_and_scenarios()
    p = np.zeros(len(f))
    p[(f.Module_ID == "F_A") & (f.t < 900)] = 0.9          # before the fault: a false alarm, not a detection
    p[(f.Module_ID == "F_A") & (f.t >= 3000)] = 0.9        # after PNR: too late
    r = events.EventIndex(f, sc).evaluate(p, 0.5)
    assert r["event_recall"] == 0.0 and r["runaway_prefault_episodes"] == 1
    assert r["missed"][0]["Module_ID"] == "F_A"


def test_neighbour_alarms_after_the_first_pnr_are_not_counted():
    f, sc = frame_and_scenarios()
    p = np.zeros(len(f))
    p[(f.Module_ID == "F_B") & (f.t >= 3100)] = 0.9
    r = events.EventIndex(f, sc).evaluate(p, 0.5)
    assert r["neighbour_alarm_episodes"] == 0
    p[(f.Module_ID == "F_B") & (f.t.between(1500, 1600))] = 0.9
    r = events.EventIndex(f, sc).evaluate(p, 0.5)
    assert r["neighbour_alarm_episodes"] == 1 and r["fa_episodes"] == 0


def test_rules_baseline_levels():
    names = ["Module_Max_Surface_Temp_C", "Slope_1m_Module_Max_Surface_Temp_C_per_min", "Sim_OffGas_CO_ppm_proxy",
             "Sim_OffGas_H2_ppm_proxy", "Sim_OffGas_VOC_ppm_proxy", "Module_Voltage_V", "Drop_1m_Module_Voltage_V"]
    f = pd.DataFrame([
        [25, 0, 1, 0.5, 0.1, 52, 0],       # normal
        [56, 0, 1, 0.5, 0.1, 52, 0],       # watch on temperature
        [25, 5, 1, 0.5, 0.1, 52, 0],       # warning on slope
        [25, 0, 1, 0.5, 0.1, 52, 4],       # 4 / 56 = 7.1 % drop: warning
        [25, 0, 250, 0.5, 0.1, 52, 0],     # critical on CO
        [25, 0, 1, 0.5, 20, 52, 0],        # warning on VOC
    ], columns=names, dtype=np.float32)
    assert list(rules_baseline.rule_levels(f)) == [0, 1, 2, 2, 3, 2]
