"""What the targets are (classes or continuous values) and what the classes are called.

The kind of targets is decided in one place for the whole app, `designer.data.labels`
(the Data panel, preparation, compatibility advice and these tabs agree): class ids
(non-negative integers), ±1, one-hot rows, or, otherwise, continuous values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from designer.data.labels import describe_labels


def is_classification(y: Any, class_names: Sequence[str] = ()) -> bool:
    """True when the targets name classes, as `designer.data.labels` decides.

    Integer ids 0…k (at most 256 classes; float ids at most 20 unless `class_names`
    name them), -1/+1 labels, or one-hot rows. Multi-column targets that are not
    one-hot, negative ids other than -1/+1, and empty targets are not classes.
    """
    return describe_labels(np.asarray(y), tuple(class_names)).is_classification


def class_names(data: Any, y: Any, count: int) -> list[str]:
    """`count` class names: the data's own, '−1'/'+1' for ±1 targets, else the numbers."""
    names = list(getattr(data, "class_names", ()) or ())
    if len(names) >= count:
        return names[:count]
    y = np.asarray(y)
    single = y.ndim <= 2 and y.size and y.reshape(len(y), -1).shape[1] == 1
    if count == 2 and single and y.min() < 0:
        return ["−1", "+1"]
    return [str(i) for i in range(count)]
