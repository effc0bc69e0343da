#!/usr/bin/python3
"""Writes a tiny hazard model for tests: one tree on one feature, with the silo's metadata keys.

    /usr/bin/python3 make_hazard_model.py --names names.json --feature Module_Max_Surface_Temp_C \
        --threshold 60 --version test-1 --out model.onnx [--schema-hash H] [--thresholds '{"watch":..}']

P(hazard) is 0.9 when the feature exceeds the threshold, else 0.05. Uses Debian's python3-onnx only.
"""
import argparse
import json

from onnx import TensorProto, checker, helper


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--names", required=True)
    p.add_argument("--feature", required=True)
    p.add_argument("--threshold", type=float, required=True)
    p.add_argument("--version", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--schema-hash", default="")
    p.add_argument("--schema-version", default="hvs-features/1")
    p.add_argument("--thresholds", default='{"watch": 0.3, "warning": 0.6, "critical": 0.85}')
    a = p.parse_args()
    names = json.load(open(a.names))
    index = names.index(a.feature)
    tree = helper.make_node(
        "TreeEnsembleClassifier", ["features"], ["label", "probabilities"], domain="ai.onnx.ml",
        nodes_treeids=[0, 0, 0], nodes_nodeids=[0, 1, 2], nodes_featureids=[index, 0, 0],
        nodes_values=[a.threshold, 0.0, 0.0], nodes_modes=["BRANCH_LEQ", "LEAF", "LEAF"],
        nodes_truenodeids=[1, 0, 0], nodes_falsenodeids=[2, 0, 0],
        nodes_missing_value_tracks_true=[0, 0, 0], nodes_hitrates=[1.0, 1.0, 1.0],
        class_treeids=[0, 0, 0, 0], class_nodeids=[1, 1, 2, 2], class_ids=[0, 1, 0, 1],
        class_weights=[0.95, 0.05, 0.1, 0.9], classlabels_int64s=[0, 1], post_transform="NONE")
    graph = helper.make_graph(
        [tree], "hazard_test",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, len(names)])],
        [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 2])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)],
                              producer_name="hvsgrains-test")
    model.ir_version = 8
    for key, value in {
        "hvs.feature_schema_version": a.schema_version,
        "hvs.feature_schema_hash": a.schema_hash,
        "hvs.feature_names": json.dumps(names),
        "hvs.model_version": a.version,
        "hvs.thresholds": a.thresholds,
        "hvs.training_data_hash": "test",
    }.items():
        prop = model.metadata_props.add()
        prop.key, prop.value = key, value
    checker.check_model(model)
    with open(a.out, "wb") as f:
        f.write(model.SerializeToString())


if __name__ == "__main__":
    main()
