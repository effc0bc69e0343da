"""Command line: train, promote, runs.

  /usr/bin/python3 -m hvs_training train --data DIR --out RUNS_DIR [--quick] [--site EXPORT_DIR ...] [--active-model M.onnx]
  /usr/bin/python3 -m hvs_training promote --run RUN|latest [--out RUNS_DIR] --to ../HvsGrains.Silo/BundledModel
  /usr/bin/python3 -m hvs_training runs [--out RUNS_DIR]
  /usr/bin/python3 -m hvs_training baseline --model M.onnx --data DIR --out OUT.onnx
  /usr/bin/python3 -m hvs_training anomaly --model M.onnx --data DIR --out OUT.onnx [--seed 17]
"""
from __future__ import annotations

import argparse
import os
import sys

from . import runs
from .data import DatasetError

DEFAULT_RUNS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "runs")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="hvs_training", description="HvsGrains hazard-model training pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train, compare and export a model from a simulator dataset")
    t.add_argument("--data", required=True, help="dataset folder (dataset.json + dataset.csv[.gz])")
    t.add_argument("--out", default=DEFAULT_RUNS, help="runs folder (default: src/training/runs)")
    t.add_argument("--quick", action="store_true", help="small models and search, for CI")
    t.add_argument("--seed", type=int, default=17)
    t.add_argument("--folds", type=int, default=None, help="grouped CV folds (default 4, quick 2)")
    t.add_argument("--search-iter", type=int, default=None, help="randomized-search settings (default 6, quick 2; 0 = none)")
    t.add_argument("--max-rows", type=int, default=None, help="training rows after thinning quiet negatives")
    t.add_argument("--test-fraction", type=float, default=0.25)
    t.add_argument("--only", default=None, help="comma-separated candidates to train (rules always runs)")
    t.add_argument("--site", action="append", default=[], help="a site export ('hvs export') mixed into fitting (repeatable)")
    t.add_argument("--active-model", default=None, help="the ONNX model in use: the report compares the candidate with it")
    p = sub.add_parser("promote", help="copy a run's model, card, test vectors and report into the bundle folder")
    p.add_argument("--run", required=True, help="run folder, run id, or 'latest'")
    p.add_argument("--out", default=DEFAULT_RUNS)
    p.add_argument("--to", required=True)
    r = sub.add_parser("runs", help="list the runs index")
    r.add_argument("--out", default=DEFAULT_RUNS)
    b = sub.add_parser("baseline", help="add or replace the drift-watch feature baseline in an exported model")
    b.add_argument("--model", required=True, help="the exported ONNX model")
    b.add_argument("--data", required=True, help="dataset folder whose normal-operation rows make the baseline")
    b.add_argument("--out", required=True, help="where to write the model with its baseline (may be --model)")
    a = sub.add_parser("anomaly", help="add or replace the anomaly score (Isolation Forest) of an exported model")
    a.add_argument("--model", required=True); a.add_argument("--data", required=True); a.add_argument("--out", required=True)
    a.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    try:
        if args.command == "train":
            from .train import train
            only = [s.strip() for s in args.only.split(",")] if args.only else None
            directory = train(args.data, args.out, quick=args.quick, seed=args.seed, n_folds=args.folds,
                              search_iter=args.search_iter, max_rows=args.max_rows, test_fraction=args.test_fraction, only=only,
                              sites=args.site, active_model=args.active_model)
            print(directory)
        elif args.command == "baseline":
            from .baseline import add_to_model
            written = add_to_model(args.model, args.data, args.out)
            print(f"{args.out}: baseline of {len(written['features'])} features from {written['rows']} rows")
        elif args.command == "anomaly":
            from . import anomaly
            result = anomaly.run(args.model, args.data, args.out, seed=args.seed, command="python3 -m hvs_training " + " ".join(argv or sys.argv[1:]))
            print(f"{args.out}: anomaly threshold {result.settings['threshold']}")
        elif args.command == "promote":
            run_dir = runs.resolve(args.out, args.run)
            for name in runs.promote(run_dir, args.to):
                print(os.path.join(args.to, name))
        else:
            rows = runs.read_index(args.out)
            cols = ["run_id", "chosen", "test_event_recall", "test_median_lead_min", "test_p10_lead_min", "test_fa_per_1000_md",
                    "rules_event_recall", "rules_median_lead_min", "goals_met"]
            print("\t".join(cols))
            for row in rows:
                print("\t".join(str(row.get(c, "")) for c in cols))
    except DatasetError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
