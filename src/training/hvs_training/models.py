"""Candidate models, training-row selection and the grouped randomized search."""
from __future__ import annotations

import dataclasses
import math
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline as ImbPipeline


@dataclasses.dataclass
class Candidate:
    name: str
    description: str
    build: Optional[Callable[[float], object]]   # spw -> unfitted estimator; None for the rules baseline
    exportable: bool                              # the ONNX exporter handles it


def n_jobs() -> int:
    return 2


def xgb(spw: float, **params) -> XGBClassifier:
    base = dict(n_estimators=200, max_depth=5, learning_rate=0.1, subsample=0.8, colsample_bytree=0.8,
                min_child_weight=5, reg_lambda=1.0, tree_method="hist", max_bin=256, n_jobs=n_jobs(),
                eval_metric="aucpr", random_state=7, verbosity=0)
    base.update(params)
    return XGBClassifier(scale_pos_weight=spw, **base)


def candidates(quick: bool = False) -> List[Candidate]:
    trees = 40 if quick else 200
    rf_trees = 25 if quick else 100
    return [
        Candidate("rules", "Rules only: HazardRuleOptions defaults, alarm at level >= Warning (no model)", None, False),
        Candidate("logreg", "Logistic regression, standardized features, class_weight=balanced",
                  lambda spw: make_pipeline(StandardScaler(), LogisticRegression(C=0.1, class_weight="balanced", max_iter=200)), False),
        Candidate("rf", f"Random forest, {rf_trees} trees, max_depth 10, class_weight=balanced_subsample",
                  lambda spw: RandomForestClassifier(n_estimators=rf_trees, max_depth=10, min_samples_leaf=20, max_features="sqrt",
                                                     class_weight="balanced_subsample", n_jobs=n_jobs(), random_state=7), True),
        Candidate("xgb_spw", f"XGBoost, {trees} trees, depth 5, scale_pos_weight = negatives/positives",
                  lambda spw: xgb(spw, n_estimators=trees), True),
        Candidate("xgb_smote", f"XGBoost, {trees} trees, depth 5, SMOTE to 1:5 instead of class weights",
                  lambda spw: ImbPipeline([("smote", SMOTE(sampling_strategy=0.2, k_neighbors=5, random_state=7)),
                                           ("xgb", xgb(1.0, n_estimators=trees))]), False),
    ]


SEARCH_SPACE = {
    "n_estimators": [100, 150, 200, 300],
    "max_depth": [3, 4, 5, 6],
    "learning_rate": [0.03, 0.05, 0.1, 0.2],
    "subsample": [0.6, 0.8, 1.0],
    "colsample_bytree": [0.5, 0.7, 0.9],
    "min_child_weight": [1, 5, 20],
    "reg_lambda": [0.5, 1.0, 5.0],
    "spw_power": [0.5, 1.0],     # scale_pos_weight = (neg/pos) ** power
}


class SpwXGB(XGBClassifier):
    """XGBClassifier whose scale_pos_weight is (neg/pos) ** spw_power, set at fit time (searchable)."""

    def __init__(self, spw_power: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.spw_power = spw_power

    def get_params(self, deep=True):
        params = super().get_params(deep)
        params["spw_power"] = self.spw_power
        return params

    def fit(self, X, y, **kwargs):
        pos = max(int(np.sum(y)), 1)
        self.set_params(scale_pos_weight=((len(y) - pos) / pos) ** self.spw_power)
        return super().fit(X, y, **kwargs)


QUICK_SEARCH_SPACE = dict(SEARCH_SPACE, n_estimators=[30, 50], max_depth=[3, 4])


def randomized_search(X: np.ndarray, y: np.ndarray, cv: Sequence[Tuple[np.ndarray, np.ndarray]], n_iter: int, seed: int = 7,
                      quick: bool = False):
    """RandomizedSearchCV over XGBoost with grouped (scenario) folds, scored by PR-AUC."""
    base = SpwXGB(tree_method="hist", n_jobs=n_jobs(), eval_metric="aucpr", random_state=7, verbosity=0)
    search = RandomizedSearchCV(base, QUICK_SEARCH_SPACE if quick else SEARCH_SPACE, n_iter=n_iter, scoring="average_precision", cv=list(cv),
                                random_state=seed, n_jobs=1, refit=False, error_score="raise")
    search.fit(X, y)
    results = pd.DataFrame(search.cv_results_)[["params", "mean_test_score", "std_test_score", "rank_test_score"]]
    return search.best_params_, results.sort_values("rank_test_score")


def searched_candidate(best: Dict[str, object]) -> Candidate:
    params = dict(best)
    power = float(params.pop("spw_power", 1.0))
    desc = "XGBoost, randomized search (grouped folds, PR-AUC): " + ", ".join(f"{k}={v}" for k, v in sorted(best.items()))
    return Candidate("xgb_search", desc, lambda spw: xgb(spw ** power, **params), True)


def scenario_first_pnr(frame: pd.DataFrame) -> np.ndarray:
    """Per row: the time its scenario's first module reaches PNR (NaN when none does)."""
    ttp = frame["Time_To_PNR_s"].to_numpy(dtype=np.float64)
    pnr = frame["Time_s"].to_numpy(dtype=np.float64) + ttp
    first = pd.Series(pnr).groupby(frame["Scenario_Id"].astype(str).to_numpy()).min()
    return frame["Scenario_Id"].astype(str).map(first).to_numpy(dtype=np.float64)


def meaningful_rows(frame: pd.DataFrame, scenarios: pd.DataFrame, window_s: float, guard_s: float) -> np.ndarray:
    """Rows whose 0/1 label means what it says, used for fitting and for row-level metrics:
    - drop every module's rows from (first PNR in the scenario - guard) on: the rack is burning, a
      neighbour's or the dead module's 'label 0' there is not 'safe';
    - drop a runaway module's rows between its fault start and the label window: the fault is developing,
      an early alarm there is welcome, not wrong (the event metrics reward it).
    Kept: normal and look-alike operation, faulted modules that never reach PNR (hard negatives),
    neighbours before any PNR, runaway modules before the fault and inside the window."""
    t = frame["Time_s"].to_numpy(dtype=np.float64)
    ttp = frame["Time_To_PNR_s"].to_numpy(dtype=np.float64)
    first = scenario_first_pnr(frame)
    sid = frame["Scenario_Id"].astype(str)
    fault_start = (sid.map(scenarios["Start"].map(lambda s: s.value / 1e9 if pd.notna(s) else np.nan)).to_numpy(dtype=np.float64)
                   + sid.map(scenarios["Fault_Start_s"]).to_numpy(dtype=np.float64))
    burning = ~np.isnan(first) & (t >= first - guard_s)
    developing = ~np.isnan(ttp) & (t >= fault_start) & (ttp > window_s)
    return ~(burning | developing)


def training_rows(frame: pd.DataFrame, meaningful: np.ndarray, scenario_ids: Sequence[str], max_rows: int, seed: int = 7) -> np.ndarray:
    """Row indices to fit on: meaningful rows of the given scenarios. Every positive and every
    faulted-module row is kept; the many quiet negatives (benign and neighbour modules) are thinned at
    random to fit max_rows. Evaluation always uses every row."""
    keep = frame["Scenario_Id"].isin(list(scenario_ids)).to_numpy() & meaningful
    label = frame["Hazard_Label"].to_numpy()
    ttp = frame["Time_To_PNR_s"].to_numpy(dtype=np.float64)
    important = keep & ((label == 1) | (frame["Is_Fault_Module"].to_numpy() == 1) | ~np.isnan(ttp))
    rest = np.flatnonzero(keep & ~important)
    budget = max(max_rows - int(important.sum()), 0)
    if len(rest) > budget:
        rng = np.random.default_rng(seed)
        rest = np.sort(rng.choice(rest, size=budget, replace=False))
    return np.sort(np.r_[np.flatnonzero(important), rest])


def fit(candidate: Candidate, X: np.ndarray, y: np.ndarray):
    pos = max(int(y.sum()), 1)
    spw = (len(y) - pos) / pos
    model = candidate.build(spw)
    model.fit(X, y)
    return model


def predict(model, X: np.ndarray, batch: int = 500_000) -> np.ndarray:
    out = np.empty(len(X), dtype=np.float64)
    for s in range(0, len(X), batch):
        out[s:s + batch] = model.predict_proba(X[s:s + batch])[:, 1]
    return out


def feature_importance(model, names: Sequence[str]) -> Optional[pd.Series]:
    est = model
    if hasattr(est, "steps"):
        est = est.steps[-1][1]
    if isinstance(est, XGBClassifier):
        gain = est.get_booster().get_score(importance_type="total_gain")
        values = np.array([gain.get(f"f{i}", 0.0) for i in range(len(names))])
    elif hasattr(est, "feature_importances_"):
        values = np.asarray(est.feature_importances_, dtype=float)
    elif hasattr(est, "coef_"):
        values = np.abs(np.ravel(est.coef_))
    else:
        return None
    total = values.sum()
    return pd.Series(values / total if total > 0 else values, index=list(names)).sort_values(ascending=False)


def logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))
