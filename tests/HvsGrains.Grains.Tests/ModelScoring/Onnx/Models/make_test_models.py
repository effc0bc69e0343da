#!/usr/bin/python3
"""Generates the small ONNX test models beside this script (our own artifacts, committed).

Regenerate with Debian's python3-onnx (no onnxruntime needed):
    /usr/bin/python3 tests/HvsGrains.Grains.Tests/ModelScoring/Onnx/Models/make_test_models.py
The expected probabilities are hard-coded in ../OnnxHazardModelSessionTests.cs; keep them in sync with the models below.
"""
import os

from onnx import TensorProto, TypeProto, checker, helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSETS = [helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)]


def save(model, name):
    model.ir_version = 8
    checker.check_model(model)
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(model.SerializeToString())


def add_metadata(model, entries):
    for key, value in entries.items():
        prop = model.metadata_props.add()
        prop.key, prop.value = key, value


def tree_classifier(zipmap=False):
    """Two trees over 3 features; each leaf weighs both classes, so the summed weights are the probabilities.

    tree 0: x0 <= 0.5 ? (0.45, 0.05) : (x2 <= 10 ? (0.30, 0.20) : (0.10, 0.40))
    tree 1: x1 <  0.25 ? (0.40, 0.10) : (0.15, 0.35)
    P(class 1) = sum of the class-1 weights of the two leaves reached (post_transform NONE).
    """
    # node ids per tree; "LEAF" nodes carry class weights.
    nodes = [
        # (tree, node, feature, value, mode, true_id, false_id)
        (0, 0, 0, 0.5, "BRANCH_LEQ", 1, 2),
        (0, 1, 0, 0.0, "LEAF", 0, 0),
        (0, 2, 2, 10.0, "BRANCH_LEQ", 3, 4),
        (0, 3, 0, 0.0, "LEAF", 0, 0),
        (0, 4, 0, 0.0, "LEAF", 0, 0),
        (1, 0, 1, 0.25, "BRANCH_LT", 1, 2),
        (1, 1, 0, 0.0, "LEAF", 0, 0),
        (1, 2, 0, 0.0, "LEAF", 0, 0),
    ]
    leaves = {(0, 1): (0.45, 0.05), (0, 3): (0.30, 0.20), (0, 4): (0.10, 0.40), (1, 1): (0.40, 0.10), (1, 2): (0.15, 0.35)}
    class_treeids, class_nodeids, class_ids, class_weights = [], [], [], []
    for (tree, node), weights in leaves.items():
        for cls, w in enumerate(weights):
            class_treeids.append(tree)
            class_nodeids.append(node)
            class_ids.append(cls)
            class_weights.append(w)

    tree = helper.make_node(
        "TreeEnsembleClassifier", ["features"], ["label", "probabilities"], domain="ai.onnx.ml",
        nodes_treeids=[n[0] for n in nodes], nodes_nodeids=[n[1] for n in nodes],
        nodes_featureids=[n[2] for n in nodes], nodes_values=[n[3] for n in nodes],
        nodes_modes=[n[4] for n in nodes], nodes_truenodeids=[n[5] for n in nodes],
        nodes_falsenodeids=[n[6] for n in nodes], nodes_missing_value_tracks_true=[0] * len(nodes),
        nodes_hitrates=[1.0] * len(nodes),
        class_treeids=class_treeids, class_nodeids=class_nodeids, class_ids=class_ids,
        class_weights=class_weights, classlabels_int64s=[0, 1], post_transform="NONE")
    node_list = [tree]
    outputs = [helper.make_tensor_value_info("label", TensorProto.INT64, [None])]
    if zipmap:
        node_list.append(helper.make_node("ZipMap", ["probabilities"], ["output_probability"],
                                          domain="ai.onnx.ml", classlabels_int64s=[0, 1]))
        map_type = TypeProto()  # onnx 1.12 has no make_map_type_proto
        map_type.map_type.key_type = TensorProto.INT64
        map_type.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, []))
        outputs.append(helper.make_value_info("output_probability", helper.make_sequence_type_proto(map_type)))
    else:
        outputs.append(helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 2]))

    graph = helper.make_graph(node_list, "hazard_tree_test",
                              [helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, 3])], outputs)
    model = helper.make_model(graph, opset_imports=OPSETS, producer_name="hvsgrains-test",
                              producer_version="1", domain="hvsgrains", model_version=3,
                              doc_string="Tiny hand-checkable tree ensemble for scoring tests.")
    add_metadata(model, {
        "feature_names": "temp_c,temp_rate_c_per_min,co_ppm",
        "model_version": "2026.11.22-test",
        "thresholds": '{"watch":0.3,"warning":0.5,"critical":0.7}',
    })
    return model


def logistic(flat=False):
    """probabilities = Sigmoid(features @ W + b), features [N, 4], output [N, 1] (flat: [N], the output named "score")."""
    w = helper.make_tensor("W", TensorProto.FLOAT, [4, 1], [0.5, -1.0, 0.25, 2.0])
    b = helper.make_tensor("B", TensorProto.FLOAT, [1], [-0.75])
    nodes = [helper.make_node("MatMul", ["features", "W"], ["z0"]),
             helper.make_node("Add", ["z0", "B"], ["z"])]
    initializers = [w, b]
    if flat:
        nodes += [helper.make_node("Sigmoid", ["z"], ["p"]), helper.make_node("Squeeze", ["p", "axes"], ["score"])]
        initializers.append(helper.make_tensor("axes", TensorProto.INT64, [1], [1]))
        output = helper.make_tensor_value_info("score", TensorProto.FLOAT, [None])
    else:
        nodes.append(helper.make_node("Sigmoid", ["z"], ["probabilities"]))
        output = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 1])
    graph = helper.make_graph(
        nodes, "hazard_logistic_test",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [None, 4])], [output],
        initializer=initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="hvsgrains-test")
    add_metadata(model, {"feature_names": "a,b,c,d"})
    return model


def two_inputs():
    """probabilities = a + b over two float inputs [N, 2]: breaks the one-input contract (must be rejected)."""
    graph = helper.make_graph(
        [helper.make_node("Add", ["a", "b"], ["probabilities"])], "two_inputs_test",
        [helper.make_tensor_value_info("a", TensorProto.FLOAT, [None, 2]),
         helper.make_tensor_value_info("b", TensorProto.FLOAT, [None, 2])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 2])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="hvsgrains-test")


if __name__ == "__main__":
    save(tree_classifier(), "tree_classifier.onnx")
    save(tree_classifier(zipmap=True), "tree_classifier_zipmap.onnx")
    save(logistic(), "logistic.onnx")
    save(logistic(flat=True), "logistic_flat.onnx")
    save(two_inputs(), "two_inputs.onnx")
    print("wrote tree_classifier.onnx, tree_classifier_zipmap.onnx, logistic.onnx, logistic_flat.onnx, two_inputs.onnx to", HERE)
