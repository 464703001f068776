"""The project document without Qt: catalog, edits, validation, building, JSON."""

from __future__ import annotations

import numpy as np
import pytest

from designer.spec import CompileSettings, Design, DesignError, ParamError, build_design, catalog
from designer.spec.compile_settings import check_combination, hyper_parameters
from designer.spec.layout import auto_layout
from designer.spec.serialize import ProjectFormatError, from_json, to_json
from designer.spec.templates import TEMPLATES, chain, template


def sum_design() -> Design:
    return template("sum_classifier").make()[0]


# -- catalog ------------------------------------------------------------------------
def test_catalog_covers_every_engine_layer_grouped() -> None:
    from designer.engine import layers

    names = {t.name for t in catalog().types()}
    for engine_name in layers.layer_classes():
        if engine_name not in ("InputLayer", "Layer"):
            assert engine_name in names
    groups = catalog().by_category()
    assert [t.name for t in groups["Input"]] == ["Input"]
    assert {"Add", "Concatenate"} <= {t.name for t in groups["Merge"]}
    assert all(t.summary for t in catalog().types())


def test_key_settings_read_like_the_issue_says() -> None:
    dense = catalog()["Dense"]
    assert dense.key_settings({"units": 20, "activation": "tanh"}) == "20 · tanh"
    assert dense.key_settings({"units": 20, "activation": "linear"}) == "20"


def test_param_checks_explain_what_was_expected() -> None:
    units = catalog()["Dense"].param("units")
    assert units.check("12") == 12
    with pytest.raises(ParamError, match="expected a positive integer, received 0"):
        units.check(0)
    with pytest.raises(ParamError, match="whole number"):
        units.check("twelve")
    rate = catalog()["Dropout"].param("rate")
    with pytest.raises(ParamError, match=r"at most 0\.99"):
        rate.check(1.5)
    activation = catalog()["Dense"].param("activation")
    with pytest.raises(ParamError, match="relu"):
        activation.check("relux")
    shape = catalog()["Input"].param("shape")
    assert shape.check("28, 28, 1") == (28, 28, 1)
    assert shape.check(5) == (5,)


# -- edits --------------------------------------------------------------------------
def test_chain_order_and_structure_checks() -> None:
    design = sum_design()
    order = design.chain_order()
    assert [design.nodes[n].type for n in order] == ["Input", "Dense", "Dense"]
    first, second, third = order
    ok, reason = design.can_connect(third, first)
    assert not ok and "no input" in reason
    ok, reason = design.can_connect(first, second)
    assert not ok and "already connected" in reason
    merge = design.add_node("Concatenate")
    design.connect(first, merge.id)
    dense = design.add_node("Dense", {"units": 5})
    design.connect(merge.id, dense.id)
    with pytest.raises(DesignError, match="cycle"):
        design.connect(dense.id, merge.id)


def test_remove_node_returns_what_undo_needs() -> None:
    design = sum_design()
    middle = design.chain_order()[1]
    node, edges = design.remove_node(middle)
    assert middle not in design.nodes and len(edges) == 2
    design.insert_node(node, edges)
    assert design.chain_order()[1] == middle


def test_set_param_checks_and_returns_old_value() -> None:
    design = sum_design()
    dense = design.chain_order()[1]
    assert design.set_param(dense, "units", "32") == 20
    assert design.nodes[dense].params["units"] == 32
    with pytest.raises(ParamError):
        design.set_param(dense, "units", -3)
    assert design.nodes[dense].params["units"] == 32


# -- building -------------------------------------------------------------------------
def test_chain_builds_a_sequential_with_engine_shapes() -> None:
    from designer.engine import Sequential

    design = sum_design()
    result = build_design(design)
    assert result.ok and isinstance(result.model, Sequential)
    order = design.chain_order()
    assert result.nodes[order[1]].output_shape == (None, 20)
    assert result.nodes[order[1]].params == 120
    assert sum(info.params for info in result.nodes.values()) == result.model.count_params()


def test_graph_builds_a_functional_model_with_shared_weights() -> None:
    from designer.engine import Model

    design, _ = template("shared_layer").make()
    result = build_design(design)
    assert result.ok, [i.text() for i in result.issues]
    assert isinstance(result.model, Model) and not result.is_chain
    encoders = [n for n in design.nodes.values() if n.type == "Dense" and n.params["units"] == 8]
    assert result.nodes[encoders[0].id].layer is result.nodes[encoders[1].id].layer
    out = result.model.predict([np.ones((2, 4)), np.ones((2, 4))], verbose=0)
    np.testing.assert_allclose(out, 0.5, atol=1e-6)  # identical inputs: difference is zero


@pytest.mark.parametrize("key", [t.key for t in TEMPLATES if t.key not in ("empty", "mnist_cnn")])
def test_every_template_builds_and_compiles(key: str) -> None:
    design, settings = template(key).make()
    result = build_design(design)
    assert result.ok, [i.text() for i in result.issues]
    settings.compile(result.model)


def test_invalid_designs_mark_the_node_with_the_engine_message() -> None:
    design = chain([("Input", {"shape": (4,)}), ("Dense", {"units": 3})])
    source, three = design.chain_order()
    five = design.add_node("Dense", {"units": 5})
    design.connect(source, five.id)
    add = design.add_node("Add")
    design.connect(three, add.id)
    design.connect(five.id, add.id)
    result = build_design(design)
    assert result.model is None
    issue = result.issues_for(add.id)[0]
    assert "incompatible shapes" in issue.message and "same shape" in issue.hint


def test_open_ports_missing_input_and_empty_design() -> None:
    design = Design()
    assert "empty" in build_design(design).issues[0].message
    dense = design.add_node("Dense", {"units": 2})
    issues = build_design(design).issues
    assert any("no Input" in i.message for i in issues)
    assert any(i.node_id == dense.id and "left open" in i.message for i in issues)


def test_reshape_that_cannot_fit_is_reported_on_its_node() -> None:
    design = chain([("Input", {"shape": (10,)}), ("Reshape", {"target_shape": (3, 4)})])
    result = build_design(design)
    node = design.chain_order()[1]
    assert result.issues_for(node) and "target shape" in result.issues_for(node)[0].text()


# -- compile settings ---------------------------------------------------------------------
def test_optimizer_hyper_parameters_come_from_the_engine() -> None:
    names = {hp.name: hp.default for hp in hyper_parameters("sgd")}
    assert names["learning_rate"] == 0.01 and names["momentum"] == 0.0
    assert names["nesterov"] is False
    adam = {hp.name: hp.default for hp in hyper_parameters("adam")}
    assert adam["beta_1"] == 0.9 and adam["epsilon"] == pytest.approx(1e-7)


def test_settings_make_the_optimizer_and_warn_about_odd_combinations() -> None:
    settings = CompileSettings("sgd", {"learning_rate": 0.1, "momentum": 0.9}, "mse", ["mae"])
    optimizer = settings.make_optimizer()
    assert optimizer.learning_rate == pytest.approx(0.1) and optimizer.momentum == 0.9
    warnings = check_combination(CompileSettings(loss="hinge"), "softmax", 3)
    assert warnings and "hinge" in warnings[0]
    assert not check_combination(CompileSettings(loss="categorical_crossentropy"), "softmax", 10)


# -- JSON ------------------------------------------------------------------------------
def test_json_round_trip_keeps_everything() -> None:
    design, settings = template("shared_layer").make()
    text = to_json(design, settings)
    again, settings2 = from_json(text)
    assert to_json(again, settings2) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "Not valid JSON"),
        ('{"format": "other"}', "Not a Network Designer"),
        ('{"format": "network-designer/design", "version": 99}', "newer"),
        (
            '{"format": "network-designer/design", "version": 1, "design": {"nodes": '
            '[{"id": "a", "type": "Evil"}]}}',
            "unknown layer type",
        ),
        (
            '{"format": "network-designer/design", "version": 1, "design": {"nodes": '
            '[{"id": "a", "type": "Dense", "params": {"units": -1}}]}}',
            "expected a positive integer, received -1",
        ),
        (
            '{"format": "network-designer/design", "version": 1, "design": {"nodes": [], '
            '"edges": [{"id": "e", "source": "x", "target": "y", "port": 0}]}}',
            "does not exist",
        ),
    ],
)
def test_bad_json_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ProjectFormatError, match=message):
        from_json(text)


def test_auto_layout_puts_layers_in_rows_by_depth() -> None:
    design, _ = template("branching").make()
    positions = auto_layout(design)
    ys = sorted({y for _, y in positions.values()})
    assert len(ys) == 5  # input, two Dense rows, concatenate, output
    assert len(set(positions.values())) == len(positions)  # no overlaps


def test_dense_after_image_maps_asks_for_a_flatten() -> None:
    design = chain([("Input", {"shape": (8, 8, 3)}), ("Dense", {"units": 4})])
    issue = build_design(design).issues_for(design.chain_order()[1])[0]
    assert "feature maps" in issue.message and "Flatten" in issue.hint
    fixed = chain([("Input", {"shape": (8, 8, 3)}), ("Flatten", {}), ("Dense", {"units": 4})])
    assert build_design(fixed).ok
