"""Splits by whole scenarios, never by rows.

Neighbouring 10-second readings of one fault are nearly identical; a random row split puts them on
both sides and makes every model look perfect. Here a scenario (all modules of its rack, whole
duration) is the unit: the held-out test set and every cross-validation fold are sets of scenarios,
stratified by fault type x chemistry and spread over severities.
"""
from __future__ import annotations

import warnings
from typing import Iterator, List, Sequence, Tuple

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedGroupKFold


class LeakError(AssertionError):
    """A scenario on both sides of a split."""


def strata(scenarios: pd.DataFrame) -> pd.Series:
    return scenarios["Fault_Type"].astype(str) + "|" + scenarios["Chemistry"].astype(str)


def holdout_scenarios(scenarios: pd.DataFrame, test_fraction: float = 0.25, seed: int = 17) -> Tuple[List[str], List[str]]:
    """Returns (train ids, test ids). Within each fault type x chemistry stratum the scenarios are
    ordered by severity (random among equals) and the test picks are evenly spaced, so every stratum
    with two or more scenarios has test scenarios of low and high severity; a stratum keeps at least
    one scenario for training."""
    if not 0 < test_fraction < 1:
        raise ValueError("test_fraction must be between 0 and 1.")
    rng = np.random.default_rng(seed)
    train: List[str] = []
    test: List[str] = []
    table = scenarios.assign(_stratum=strata(scenarios), _tie=rng.random(len(scenarios)))
    for _, group in sorted(table.groupby("_stratum"), key=lambda kv: kv[0]):
        ids = list(group.sort_values(["Severity", "_tie"])["Scenario_Id"])
        n = len(ids)
        n_test = int(round(n * test_fraction))
        if n >= 2:
            n_test = min(max(n_test, 1), n - 1)
        else:
            n_test = 0
        offset = rng.random()
        picks = {min(n - 1, int((i + offset) * n / n_test)) for i in range(n_test)} if n_test else set()
        for i, sid in enumerate(ids):
            (test if i in picks else train).append(sid)
    check_disjoint(train, test)
    return sorted(train), sorted(test)


def check_disjoint(a: Sequence[str], b: Sequence[str]) -> None:
    both = set(a) & set(b)
    if both:
        raise LeakError(f"Scenario(s) on both sides of a split: {sorted(both)[:5]}")


def scenario_folds(scenarios: pd.DataFrame, ids: Sequence[str], n_folds: int, seed: int = 17) -> List[List[str]]:
    """Grouped, stratified folds of the given scenarios (StratifiedGroupKFold on one row per scenario,
    y = fault type x chemistry stratum, groups = Scenario_Id). Returns the validation ids of each fold."""
    table = scenarios.loc[list(ids)]
    y = pd.factorize(strata(table))[0]
    groups = table["Scenario_Id"].to_numpy()
    n_folds = max(2, min(n_folds, len(table)))
    splitter = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    folds: List[List[str]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "the least populated class has fewer members than n_splits"
        for _, val in splitter.split(np.zeros(len(table)), y, groups):
            folds.append(sorted(groups[val]))
    return folds


def row_folds(row_scenarios: np.ndarray, folds: List[List[str]]) -> Iterator[Tuple[np.ndarray, np.ndarray]]:
    """(train row indices, validation row indices) per fold for rows labelled with their Scenario_Id."""
    row_scenarios = np.asarray(row_scenarios)
    for val_ids in folds:
        val_mask = np.isin(row_scenarios, list(val_ids))
        train_idx, val_idx = np.flatnonzero(~val_mask), np.flatnonzero(val_mask)
        check_disjoint(np.unique(row_scenarios[train_idx]), np.unique(row_scenarios[val_idx]))
        yield train_idx, val_idx
