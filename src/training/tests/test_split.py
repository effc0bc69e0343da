import numpy as np
import pytest

from conftest import make_dataset
from hvs_training import data, split


@pytest.mark.parametrize("seed", [1, 2, 3, 17, 99])
def test_holdout_never_puts_a_scenario_on_both_sides(synthetic, seed):
    train, test = split.holdout_scenarios(synthetic.scenarios, 0.25, seed)
    assert set(train).isdisjoint(test)
    assert set(train) | set(test) == set(synthetic.scenarios.index)
    sid = synthetic.frame["Scenario_Id"].astype(str).to_numpy()
    train_rows, test_rows = np.isin(sid, train), np.isin(sid, test)
    assert not (train_rows & test_rows).any()
    # every module of a scenario stays on one side
    assert set(sid[train_rows]).isdisjoint(sid[test_rows])


def test_holdout_is_balanced_over_fault_types_and_chemistries(synthetic):
    train, test = split.holdout_scenarios(synthetic.scenarios, 0.3, 5)
    strata = split.strata(synthetic.scenarios)
    for stratum in strata.unique():
        members = set(strata[strata == stratum].index)
        if len(members) >= 2:
            assert members & set(test), stratum
            assert members & set(train), stratum


@pytest.mark.parametrize("seed", [0, 7])
def test_grouped_folds_keep_scenarios_whole(synthetic, seed):
    train, _ = split.holdout_scenarios(synthetic.scenarios, 0.25, seed)
    folds = split.scenario_folds(synthetic.scenarios, train, 3, seed)
    flat = [s for f in folds for s in f]
    assert sorted(flat) == sorted(train) and len(flat) == len(set(flat))
    sid = synthetic.frame["Scenario_Id"].astype(str).to_numpy()
    rows = np.flatnonzero(np.isin(sid, train))
    for tr, va in split.row_folds(sid[rows], folds):
        assert set(sid[rows][tr]).isdisjoint(sid[rows][va])


def test_check_disjoint_raises_on_leak():
    with pytest.raises(split.LeakError):
        split.check_disjoint(["a", "b"], ["b", "c"])
