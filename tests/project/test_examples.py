"""Every example opens and trains a few epochs (Fashion-MNIST ones when it is installed)."""

from __future__ import annotations

import pytest

from designer.headless import build_model, load_data
from designer.project.examples import EXAMPLES
from designer.training.session import fit_model


@pytest.mark.parametrize("item", EXAMPLES, ids=[e.key for e in EXAMPLES])
def test_example_opens_and_trains(item, tmp_path) -> None:
    available, hint = item.available()
    if not available:
        assert "apt-get install dataset-fashion-mnist" in hint
        pytest.skip("Fashion-MNIST is not installed")
    project = item.make()
    model, _ = build_model(project)
    data = load_data(project, tmp_path)
    config = project.training
    config.epochs = 2
    n = 2000  # a slice keeps the image examples quick
    history, _ = fit_model(
        model,
        data.x_train[:n],
        data.y_train[:n],
        config,
        validation_data=None if data.x_val is None else (data.x_val[:500], data.y_val[:500]),
    )
    assert len(history.history["loss"]) == 2
