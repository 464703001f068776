"""The loading part of an exported script: code that makes x, y (and x_test, y_test,
class_names) from a data source, one emitter per kind of source.

Generators make the same RNG calls in the same order as `designer.data.generators`
(same seed, same arrays); files are parsed as the app's loaders parse them.
"""

from __future__ import annotations

import math
from typing import Any

from designer.data.generators import resolve_params
from designer.data.samples import RESOURCES_DIR, SAMPLES
from designer.data.source import DataSource


def _r(value: Any) -> str:
    return repr(value)


# -- generators ---------------------------------------------------------------------


def _uniform(shape: str, low: float, high: float) -> str:
    """`low + (high - low) * u` exactly as generators._uniform computes it."""
    span = high - low
    return f"{_r(low)} + {_r(span)} * rng.random({shape}, dtype=np.float32)"


def _noise(shape: str, noise: float) -> str:
    return f"{_r(noise)} * rng.standard_normal({shape}, dtype=np.float32)"


def _balanced(classes: int) -> str:
    return f"y = rng.permutation(np.arange(n, dtype=np.int64) % {classes})"


def _generator(name: str, params: dict[str, Any] | None) -> list[str]:
    p = resolve_params(name, params)
    lines = [
        f"# Generated '{name}' data: the same calls as the app, so the same seed gives "
        "the same arrays.",
        f"n = {p['n']}",
        f"rng = np.random.default_rng({p['seed']})",
    ]
    if name == "threshold_sum":
        lines += [
            f"x = rng.random((n, {p['d']}), dtype=np.float32)",
            "total = np.sum(x, axis=1)",
        ]
        if p["noise"]:
            lines.append(f"total = total + {_noise('n', p['noise'])}")
        above = f"(total > {_r(p['threshold'])}).astype(np.int64)"
        if p["labels"] == "plus_minus_one":
            lines.append(f"y = {above} * 2 - 1  # -1 / +1")
        else:
            lines.append(f"y = {above}  # 0 / 1")
    elif name == "xor":
        lines += [
            f"x = {_uniform('(n, 2)', -1.0, 1.0)}",
            "y = ((x[:, 0] > 0) != (x[:, 1] > 0)).astype(np.int64)",
            f"x = x + {_noise('(n, 2)', p['noise'])}",
        ]
    elif name == "moons":
        lines += [
            _balanced(2),
            f"t = {_uniform('n', 0.0, math.pi)}",
            "x = np.stack([np.cos(t), np.sin(t)], axis=1)",
            "lower = y == 1",
            "x[lower, 0] = 1.0 - x[lower, 0]",
            "x[lower, 1] = 0.5 - x[lower, 1]",
            f"x = x + {_noise('(n, 2)', p['noise'])}",
        ]
    elif name == "circles":
        lines += [
            _balanced(2),
            f"t = {_uniform('n', 0.0, 2 * math.pi)}",
            f"radius = np.where(y == 1, np.float32({_r(p['factor'])}), np.float32(1.0))",
            "x = np.stack([radius * np.cos(t), radius * np.sin(t)], axis=1)",
            f"x = x + {_noise('(n, 2)', p['noise'])}",
        ]
    elif name == "spirals":
        lines += [
            _balanced(p["classes"]),
            "r = rng.random(n, dtype=np.float32)",
            f"theta = {_r(2 * math.pi / p['classes'])} * y.astype(np.float32) "
            f"+ {_r(2 * math.pi * p['turns'])} * r",
            f"theta += {_noise('n', p['noise'])}",
            "x = np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1)",
        ]
    elif name == "blobs":
        box, shape = p["box"], "(n, {})".format(p["d"])
        lines += [
            f"centres = {_uniform((p['centers'], p['d']), -box, box)}",
            _balanced(p["centers"]),
            f"x = centres[y] + {_noise(shape, p['noise'])}",
        ]
    elif name == "sine":
        lines += [
            f"x = {_uniform('(n, 1)', -1.0, 1.0)}",
            f"y = np.sin({_r(2 * math.pi * p['frequency'])} * x[:, 0]) + {_noise('n', p['noise'])}",
        ]
    elif name == "polynomial":
        lines += [
            f"coefficients = {_uniform(p['degree'] + 1, -1.0, 1.0)}",
            f"x = {_uniform('(n, 1)', -1.0, 1.0)}",
            "y = (np.polyval(coefficients, x[:, 0]) + "
            f"{_noise('n', p['noise'])}).astype(np.float32)",
        ]
    return lines


# -- files --------------------------------------------------------------------------


def _csv_format(options: dict[str, Any]) -> tuple[str, bool]:
    """Delimiter and header as the app's sniffer finds them (defaults if it cannot look)."""
    delimiter, header = options["delimiter"], options["header"]
    if delimiter is None or header is None:
        try:
            from designer.data.csv_sniff import sniff_csv

            fmt = sniff_csv(
                options["path"], delimiter=delimiter, header=header, encoding=options["encoding"]
            )
            delimiter, header = fmt.delimiter, fmt.has_header
        except (OSError, ValueError):
            delimiter = "," if delimiter is None else delimiter
            header = bool(header)
    return delimiter, bool(header)


def _column(spec: Any, header: bool) -> str:
    if isinstance(spec, int):
        return f"{spec} % width" if spec < 0 else str(spec)
    if not header:
        raise ValueError(
            f"Column {spec!r} is named, but the CSV file has no header row. "
            "Choose columns by index."
        )
    return f"header.index({spec!r})"


def _csv(options: dict[str, Any], path_code: str, imports: set[str]) -> list[str]:
    imports.add("csv")
    delimiter, header = _csv_format(options)
    space = delimiter == " "
    target = -1 if options["target_column"] is None else options["target_column"]
    lines = [
        f"with open({path_code}, newline='', encoding={options['encoding']!r}) as stream:",
        "    lines = stream.read().splitlines()"
        if not space
        else "    lines = [line.strip() for line in stream.read().splitlines()]",
        f"rows = [row for row in csv.reader(lines, delimiter={delimiter!r}"
        + (", skipinitialspace=True" if space else "")
        + ") if any(cell.strip() for cell in row)]",
    ]
    if header:
        lines.append("header, rows = [name.strip() for name in rows[0]], rows[1:]")
    lines += ["width = len(rows[0])", f"target = {_column(target, header)}"]
    if options["feature_columns"] is None:
        lines.append("features = [j for j in range(width) if j != target]")
    else:
        columns = ", ".join(_column(c, header) for c in options["feature_columns"])
        lines.append(f"features = [{columns}]")
    lines += [
        "",
        "",
        "def cell_value(cell):",
        '    """A cell as a float; an empty cell is a missing value (NaN), as in the app."""',
        "    return float(cell) if cell.strip() else float('nan')",
        "",
        "",
        "x = np.array([[cell_value(row[j]) for j in features] for row in rows], dtype=np.float32)",
        "labels = [row[target].strip() for row in rows]",
        "try:",
        "    y = np.array([cell_value(label) for label in labels])",
        "except ValueError:  # text labels: classes numbered in sorted order, as the app does",
        "    class_names = sorted(set(labels))",
        "    number = {name: i for i, name in enumerate(class_names)}",
        "    y = np.array([number[label] for label in labels], dtype=np.int64)",
        "else:",
        "    class_names = []",
        "    whole = np.isfinite(y).all() and np.all(y == np.round(y))",
        "    y = y.astype(np.int64) if whole else y.astype(np.float32)",
    ]
    return lines


_TEXT_LABELS = [
    "# Text labels become class numbers in sorted order; float64 becomes float32.",
    "class_names = []",
    "if y.dtype.kind in 'US':",
    "    class_names = sorted(set(np.char.strip(np.concatenate(",
    "        [y.astype(str)] + ([] if y_test is None else [y_test.astype(str)]))).tolist()))",
    "    y = np.searchsorted(class_names, np.char.strip(y.astype(str))).astype(np.int64)",
    "    if y_test is not None:",
    "        y_test = np.searchsorted(class_names, np.char.strip(y_test.astype(str)))",
    "        y_test = y_test.astype(np.int64)",
    "y = y.astype(np.float32) if y.dtype == np.float64 else y",
    "if y_test is not None and y_test.dtype == np.float64:",
    "    y_test = y_test.astype(np.float32)",
]


def _npz_keys(options: dict[str, Any]) -> dict[str, str | None]:
    """The arrays for each role, chosen as numpy_loader does (mnist.npz layout by itself)."""
    wanted = {
        "x": options["x_key"],
        "y": options["y_key"],
        "x_test": options["x_test_key"],
        "y_test": options["y_test_key"],
    }
    if wanted["x"] is not None or wanted["y"] is not None:
        return wanted
    try:
        import numpy as np

        with np.load(options["path"], allow_pickle=False) as archive:
            keys = set(archive.files)
    except (OSError, ValueError):
        keys = {"x_train", "y_train", "x_test", "y_test"}
    if {"x_train", "y_train"} <= keys or not {"x", "y"} <= keys:
        chosen = {"x": "x_train", "y": "y_train"}
    else:
        chosen = {"x": "x", "y": "y"}
    for role in ("x_test", "y_test"):
        chosen[role] = wanted[role] or (role if role in keys else None)
    return chosen


_READ_IDX = [
    "def read_idx(path):",
    '    """An IDX file (MNIST format, gzipped or not) as a NumPy array."""',
    "    with open(path, 'rb') as stream:",
    "        data = stream.read()",
    "    if data[:2] == b'\\x1f\\x8b':",
    "        data = gzip.decompress(data)",
    "    dtype = {8: 'u1', 9: 'i1', 11: '>i2', 12: '>i4', 13: '>f4', 14: '>f8'}[data[2]]",
    "    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], 'big') for i in range(data[3])]",
    "    values = np.frombuffer(data, dtype, count=int(np.prod(shape)), offset=4 + 4 * data[3])",
    "    return values.reshape(shape).astype(np.dtype(dtype).newbyteorder('='))",
    "",
]


def load_code(source: DataSource, imports: set[str]) -> tuple[list[str], bool]:
    """Code that defines x, y (and x_test, y_test, class_names); True if a test set may exist."""
    kind = source.kind
    o = _Options(source)
    if kind == "generator":
        return _generator(o["name"], o["params"]), False
    if kind == "sample":
        info = SAMPLES.get(o["name"])
        if info is None:
            raise ValueError(
                f"Unknown sample data set: {o['name']!r}. Valid names are: {', '.join(SAMPLES)}."
            )
        imports.add("os")
        lines = [
            f"# The built-in sample '{info.name}' ships with Network Designer in resources/data/;",
            "# copy that folder next to this script and point DATA_DIR at it.",
            f"DATA_DIR = {str(RESOURCES_DIR)!r}",
        ]
        options = {
            "delimiter": ",",
            "header": True,
            "feature_columns": None,
            "target_column": -1,
            "encoding": "utf-8-sig",
        }
        path_code = f"os.path.join(DATA_DIR, {info.filename!r})"
        lines += _csv(options, path_code, imports)
        if info.name == "digits":
            lines.append("x = x.reshape(-1, 8, 8)  # 8x8 grey images")
        return lines, False
    if kind == "csv":
        lines = [f"# CSV table {o['path']}"]
        return lines + _csv(o, _r(o["path"]), imports), False
    if kind == "npy":
        lines = [
            f"x = np.load({o['x_path']!r}, allow_pickle=False)",
            f"y = np.load({o['y_path']!r}, allow_pickle=False)",
        ]
        test = o["x_test_path"] is not None
        if test:
            lines += [
                f"x_test = np.load({o['x_test_path']!r}, allow_pickle=False)",
                f"y_test = np.load({(o['y_test_path'] or o['x_test_path'])!r}, allow_pickle=False)",
            ]
        else:
            lines.append("x_test = y_test = None")
        return lines + _TEXT_LABELS, test
    if kind == "npz":
        keys = _npz_keys(o)
        lines = [
            f"with np.load({o['path']!r}, allow_pickle=False) as archive:",
            f"    x, y = archive[{keys['x']!r}], archive[{keys['y']!r}]",
        ]
        test = keys["x_test"] is not None and keys["y_test"] is not None
        if test:
            pair = f"archive[{keys['x_test']!r}], archive[{keys['y_test']!r}]"
            lines.append(f"    x_test, y_test = {pair}")
        else:
            lines.append("x_test = y_test = None")
        return lines + _TEXT_LABELS, test
    imports.add("gzip")
    if kind == "idx":
        lines = [*_READ_IDX, f"x, y = read_idx({o['images']!r}), read_idx({o['labels']!r})"]
        test = o["test_images"] is not None and o["test_labels"] is not None
        if test:
            lines.append(
                f"x_test, y_test = read_idx({o['test_images']!r}), read_idx({o['test_labels']!r})"
            )
        return lines, test
    # Fashion-MNIST
    imports.add("os")
    folder = o["directory"] or "/usr/share/datasets/fashion-mnist"
    lines = [
        *_READ_IDX,
        "# Fashion-MNIST as Debian installs it: sudo apt-get install dataset-fashion-mnist",
        "# (or download the four *-ubyte.gz files from github.com/zalandoresearch/fashion-mnist).",
        f"FASHION_MNIST_DIR = {folder!r}",
        "",
        "",
        "def fashion_file(name):",
        "    path = os.path.join(FASHION_MNIST_DIR, name)",
        "    return path + '.gz' if os.path.exists(path + '.gz') else path",
        "",
        "",
        "x = read_idx(fashion_file('train-images-idx3-ubyte'))",
        "y = read_idx(fashion_file('train-labels-idx1-ubyte'))",
        "x_test = read_idx(fashion_file('t10k-images-idx3-ubyte'))",
        "y_test = read_idx(fashion_file('t10k-labels-idx1-ubyte'))",
    ]
    return lines, True


class _Options:
    """`o[key]`: the source's option or its default."""

    def __init__(self, source: DataSource) -> None:
        self.source = source

    def __getitem__(self, key: str) -> Any:
        return self.source.option(key)
