"""A site's own readings (``hvs export``) mixed into the simulator's training data.

An export is a dataset folder in the simulator's format whose features the module grain's own C# code computed
(the silo's SiteDatasetWriter); nothing is recomputed here. Its manifest's ``site`` block says where each label came
from, and every row says it in ``Label_Source``:

  true-alarm      1  the module an operator judged a true alarm, within the window around its cause   -> fitted
  false-alarm     0  the modules of an alarm an operator judged false, within its window              -> fitted
  no-alarm        0  no alarm near: the site's normal operation as far as anyone knows                -> fitted
  unjudged-alarm  0  an alarm nobody judged (or a true alarm's other modules): the label is unknown    -> not fitted
  (test alarms' rows are not in the export at all)

Mixing: every fitted site row is added to the fitting rows of every fold and of the final model, unweighted (one
row counts as one simulator row) and never thinned; thresholds and the choice of model stay on the simulator's
validation scenarios, and the held-out simulator scenarios stay the test. Site rows are never test rows: the
comparison with the active model (compare.py) reports them separately, and says the candidate has seen them.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
from typing import Dict, List, Sequence, Tuple

import numpy as np

from . import data
from .data import DatasetError

FITTED_SOURCES = ("true-alarm", "false-alarm", "no-alarm")
ALL_SOURCES = ("true-alarm", "false-alarm", "unjudged-alarm", "no-alarm")


@dataclasses.dataclass
class SiteData:
    name: str                 # the export folder's name, for the report
    dataset: data.Dataset
    X: np.ndarray
    y: np.ndarray
    source: np.ndarray        # Label_Source per row

    @property
    def fitted(self) -> np.ndarray:
        return np.isin(self.source, FITTED_SOURCES)

    def describe(self) -> Dict[str, object]:
        site = self.dataset.manifest["site"]
        counts = {s: int((self.source == s).sum()) for s in ALL_SOURCES}
        return {
            "name": self.name, "directory": os.path.abspath(self.dataset.directory), "data_hash": self.dataset.data_hash,
            "site_id": site.get("siteId"), "from": site.get("from"), "to": site.get("to"), "racks": site.get("racks"),
            "rows": int(len(self.y)), "rows_by_source": counts, "fitted_rows": int(self.fitted.sum()),
            "positives": int(self.y[self.fitted].sum()), "excluded_test_rows": site.get("excludedTestRows"),
            "alarms": site.get("alarms"), "label_rules": site.get("labelRules"),
        }


def load_site(directory: str, sim: data.Dataset) -> SiteData:
    """Reads one export; it must come from a site (a ``site`` block) and share the simulator dataset's feature schema."""
    ds = data.load_dataset(directory)
    if "site" not in ds.manifest or "Label_Source" not in ds.frame:
        raise DatasetError(f"'{directory}' is not a site export (no 'site' block in its manifest or no Label_Source column); "
                           "make one with 'hvs export'.")
    if ds.schema_hash != sim.schema_hash:
        raise DatasetError(f"'{directory}' was exported with feature schema {ds.schema_version} ({ds.schema_hash[:12]}), the simulator "
                           f"dataset has {sim.schema_version} ({sim.schema_hash[:12]}): export and simulate with the same release.")
    source = ds.frame["Label_Source"].astype(str).to_numpy()
    unknown = sorted(set(source) - set(ALL_SOURCES))
    if unknown:
        raise DatasetError(f"'{directory}': unknown Label_Source value(s) {unknown[:3]}.")
    name = os.path.basename(os.path.normpath(directory))
    return SiteData(name, ds, ds.features(), ds.frame["Hazard_Label"].to_numpy().astype(np.int8), source)


def load_sites(directories: Sequence[str], sim: data.Dataset) -> List[SiteData]:
    return [load_site(d, sim) for d in directories]


def combined_hash(sim_hash: str, sites: Sequence[SiteData]) -> str:
    """The training data's hash: the simulator dataset's alone without sites, else one over it and every export."""
    if not sites:
        return sim_hash
    digest = hashlib.sha256(sim_hash.encode("ascii"))
    for site in sites:
        digest.update(b"\0" + site.dataset.data_hash.encode("ascii"))
    return digest.hexdigest()


def mix_in(sites: Sequence[SiteData], X: np.ndarray, y: np.ndarray, sid: np.ndarray,
           fit_rows: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Appends the sites' fitted rows after the simulator's: X, y and scenario ids grow, fit_rows gains their indices.

    Their scenario ids ('site:<export>:<rack>') are in no validation fold, so every fold fits them."""
    Xs, ys, sids, rows = [X], [y], [sid.astype(object)], [fit_rows]
    at = len(X)
    for site in sites:
        keep = np.flatnonzero(site.fitted)
        Xs.append(site.X[keep])
        ys.append(site.y[keep].astype(y.dtype))
        sids.append(np.array([f"site:{site.name}:{s}" for s in site.dataset.frame["Scenario_Id"].astype(str).to_numpy()[keep]], dtype=object))
        rows.append(np.arange(at, at + len(keep), dtype=fit_rows.dtype))
        at += len(keep)
    return (np.ascontiguousarray(np.vstack(Xs)), np.concatenate(ys), np.concatenate(sids).astype(str), np.concatenate(rows))
