"""The preparation part of an exported script: the steps of
`designer.data.prepare.prepare`, in its order, as plain NumPy code (seeded shuffle, split =
the last rows, reshape, float32, scaling fitted on training rows, labels).
"""

from __future__ import annotations

from designer.data.generators import resolve_params
from designer.data.prepare import Preparation
from designer.data.source import DataSource

# Targets whose kind is known without looking at the data: (kind, classes or None).
_REGRESSION = ("sine", "polynomial")


# -- preparation --------------------------------------------------------------------


def _label_info(source: DataSource, prep: Preparation, has_test: bool) -> list[str]:
    """Code defining `num_classes` and `class_index(t)` as labels.describe_labels decides."""
    count = prep.num_classes
    if source.kind == "generator":
        name = source.options["name"]
        if name in _REGRESSION:
            raise ValueError(
                f"Label encoding {prep.labels!r} needs class labels; the '{name}' data has "
                "continuous targets. Use 'keep' for regression."
            )
        params = resolve_params(name, source.options.get("params"))
        pm1 = name == "threshold_sum" and params["labels"] == "plus_minus_one"
        if count or pm1:
            lines = [f"num_classes = {count or 2}"]
        else:
            lines = ["num_classes = int(y.max()) + 1"]
        index = "(t > 0).astype(np.int64)" if pm1 else "t.astype(np.int64)"
        return [*lines, "", "", "def class_index(t):", f"    return {index}", "", ""]
    everything = "np.concatenate([y, y_test])" if has_test else "y"
    names = "" if source.kind in ("idx",) else ", len(class_names)"
    if source.kind == "fashion_mnist":
        names = ", 10"
    lines = [
        "# What the targets are (over all rows, as the app decides): one-hot rows,",
        "# -1/+1 or class ids; class_index() turns each into class numbers 0, 1, ...",
        f"y_all = {everything}",
        "one_hot_targets = y_all.ndim == 2 and y_all.shape[1] > 1",
        "plus_minus_one = not one_hot_targets and bool(",
        "    y_all.min() == -1 and y_all.max() == 1 and np.all(np.abs(y_all) == 1))",
    ]
    ids = f"max(int(y_all.max()) + 1{names})" if names else "int(y_all.max()) + 1"
    if count:
        lines.append(f"num_classes = {count}")
    else:
        lines += [
            "num_classes = (y_all.shape[1] if one_hot_targets",
            f"               else 2 if plus_minus_one else {ids})",
        ]
    lines += [
        "",
        "",
        "def class_index(t):",
        "    if one_hot_targets:",
        "        return np.argmax(t, axis=-1).astype(np.int64)",
        "    t = (t > 0) if plus_minus_one else t",
        "    return np.asarray(t).astype(np.int64).reshape(len(t))",
        "",
        "",
    ]
    return lines


def _reshape(shape: tuple[int, ...], parts: list[str]) -> list[str]:
    if len(shape) != 3:
        return [f"{p} = {p}.reshape((len({p}), *{shape!r}))" for p in parts]
    lines = [
        "",
        "",
        "def reshape_samples(a, shape):",
        '    """Moving a colour channel axis (H, W, C) <-> (C, H, W) transposes; else reshape."""',
        "    if a.ndim == 4 and min(a.shape[1], a.shape[3]) > 1:",
        "        if shape == (a.shape[3], a.shape[1], a.shape[2]):",
        "            return np.transpose(a, (0, 3, 1, 2))",
        "        if shape == (a.shape[2], a.shape[3], a.shape[1]):",
        "            return np.transpose(a, (0, 2, 3, 1))",
        "    return a.reshape((len(a), *shape))",
        "",
        "",
    ]
    return lines + [f"{p} = reshape_samples({p}, {shape!r})" for p in parts]


def _drop_nonfinite(has_test: bool) -> list[str]:
    """The app's "Drop rows with NaN/inf" step: first of all, on training and test rows."""
    lines = [
        "",
        "",
        "def finite_rows(*arrays):",
        '    """Rows without NaN or inf in any array (float64 checked as the float32 it',
        '    becomes for training)."""',
        "    keep = np.ones(len(arrays[0]), dtype=bool)",
        "    for a in arrays:",
        "        if a.dtype.kind == 'f':",
        "            with np.errstate(over='ignore'):",
        "                a = a.astype(np.float32).reshape(len(a), -1)",
        "            keep &= np.isfinite(a).all(axis=1)",
        "    return keep",
        "",
        "",
        "# Drop rows with NaN/inf (inputs or targets), before anything else.",
        "keep = finite_rows(x, y)",
        "x, y = x[keep], y[keep]",
    ]
    if has_test:
        lines += [
            "if x_test is not None:",
            "    keep = finite_rows(x_test, y_test)",
            "    x_test, y_test = x_test[keep], y_test[keep]",
        ]
    return lines


def prepare_code(source: DataSource, prep: Preparation, has_test: bool) -> list[str]:
    """Code turning x, y (and x_test, y_test) into x_train, y_train (and x_val, y_val)."""
    lines: list[str] = ["", "# -- preparation (as the app's data panel set it)"]
    if prep.drop_nonfinite:
        lines += _drop_nonfinite(has_test)
    if prep.labels != "keep":
        lines += _label_info(source, prep, has_test)
    if prep.shuffle:
        lines += [
            f"order = np.random.default_rng({prep.seed}).permutation(len(x))",
            "x, y = x[order], y[order]",
        ]
    validation = prep.validation
    if validation == "split" and prep.validation_split > 0:
        lines += [
            f"# Validation: the last {prep.validation_split:.0%} of the rows, "
            "as Keras' validation_split takes them.",
            f"split_at = math.floor(len(x) * {1.0 - prep.validation_split!r})",
            "x_train, y_train = x[:split_at], y[:split_at]",
            "x_val, y_val = x[split_at:], y[split_at:]",
        ]
        parts = ["train", "val"]
    elif validation == "test":
        if not has_test:
            raise ValueError(
                "Validation on the test set was chosen, but this data source has no test set. "
                "Use a validation split instead."
            )
        lines += ["x_train, y_train = x, y", "x_val, y_val = x_test, y_test  # the test set"]
        parts = ["train", "val"]
    else:
        lines.append("x_train, y_train = x, y")
        parts = ["train"]
    xs = [f"x_{p}" for p in parts]
    ys = [f"y_{p}" for p in parts]
    if prep.sample_shape is not None:
        lines += _reshape(prep.sample_shape, xs)
    lines += [f"{p} = np.array({p}, dtype=np.float32)" for p in xs]
    if prep.scaling == "divide_255":
        lines += [f"{p} /= np.float32(255.0)" for p in xs]
    elif prep.scaling != "none":
        axis = "0 if x_train.ndim == 2 else None  # per feature for tables, else overall"
        lines.append(f"axis = {axis}")
        if prep.scaling == "min_max":
            lines += [
                "offset = np.min(x_train, axis=axis).astype(np.float64)",
                "scale = np.max(x_train, axis=axis).astype(np.float64) - offset",
            ]
        else:
            lines += [
                "offset = np.mean(x_train, axis=axis, dtype=np.float64)",
                "scale = np.std(x_train, axis=axis, dtype=np.float64)",
            ]
        lines += [
            "# Statistics from the training rows only; constant columns are left unscaled.",
            "offset = np.asarray(offset, np.float32)",
            "scale = np.asarray(np.where(scale > 0, scale, 1.0), np.float32)",
        ]
        for p in xs:
            lines += [f"{p} -= offset", f"{p} /= scale"]
    if prep.labels == "integer":
        lines += [f"{t} = class_index({t})" for t in ys]
    elif prep.labels == "one_hot":
        lines += [f"{t} = np.eye(num_classes, dtype=np.float32)[class_index({t})]" for t in ys]
    elif prep.labels == "plus_minus_one":
        lines += [
            "if num_classes > 2:",
            "    raise ValueError(f'Labels -1/+1 need two classes; the targets have "
            "{num_classes} classes.')",
        ]
        lines += [f"{t} = (class_index({t}) * 2 - 1).astype(np.float32)" for t in ys]
    else:
        lines += [f"{t} = {t}.astype(np.float32) if {t}.dtype.kind == 'f' else {t}" for t in ys]
    return lines
