"""Where a data set came from, as plain JSON, so a saved project can load it again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from designer.data.progress import CancelledFn, ProgressFn

if TYPE_CHECKING:
    from designer.data.dataset import Dataset

_STR = (str,)
_OPT_STR = (str, type(None))
_COLUMN = (str, int, type(None))

# kind -> {option: (allowed types, default or REQUIRED)}
REQUIRED = object()
_KINDS: dict[str, dict[str, tuple[tuple[type, ...], Any]]] = {
    "csv": {
        "path": (_STR, REQUIRED),
        "delimiter": (_OPT_STR, None),
        "header": ((bool, type(None)), None),
        "feature_columns": ((list, type(None)), None),
        "target_column": (_COLUMN, -1),
        "encoding": (_STR, "utf-8-sig"),
    },
    "npy": {
        "x_path": (_STR, REQUIRED),
        "y_path": (_STR, REQUIRED),
        "x_test_path": (_OPT_STR, None),
        "y_test_path": (_OPT_STR, None),
    },
    "npz": {
        "path": (_STR, REQUIRED),
        "x_key": (_OPT_STR, None),
        "y_key": (_OPT_STR, None),
        "x_test_key": (_OPT_STR, None),
        "y_test_key": (_OPT_STR, None),
    },
    "idx": {
        "images": (_STR, REQUIRED),
        "labels": (_STR, REQUIRED),
        "test_images": (_OPT_STR, None),
        "test_labels": (_OPT_STR, None),
    },
    "fashion_mnist": {"directory": (_OPT_STR, None)},
    "sample": {"name": (_STR, REQUIRED)},
    "generator": {"name": (_STR, REQUIRED), "params": ((dict,), None)},
}
KINDS = tuple(_KINDS)
PATH_OPTIONS = frozenset(
    {
        "path",
        "x_path",
        "y_path",
        "x_test_path",
        "y_test_path",
        "images",
        "labels",
        "test_images",
        "test_labels",
        "directory",
    }
)
_JSON_SCALARS = (str, int, float, bool, type(None))


def _type_names(types: tuple[type, ...]) -> str:
    return " or ".join("null" if t is type(None) else t.__name__ for t in types)


def _check_json(key: str, value: Any) -> None:
    if isinstance(value, list):
        for item in value:
            _check_json(key, item)
    elif isinstance(value, dict):
        for k, item in value.items():
            if not isinstance(k, str):
                raise ValueError(f"Invalid data source option {key!r}: keys must be strings.")
            _check_json(key, item)
    elif not isinstance(value, _JSON_SCALARS):
        raise ValueError(
            f"Invalid data source option {key!r}: {type(value).__name__} is not JSON data."
        )


@dataclass(frozen=True)
class DataSource:
    """`kind` (one of KINDS) and its options; `load()` re-creates the Dataset."""

    kind: str
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(
                f"Invalid data source kind: {self.kind!r}. Valid kinds are: {', '.join(KINDS)}."
            )
        if not isinstance(self.options, Mapping):
            raise ValueError(
                f"Data source options must be a dict. Received: {type(self.options).__name__}"
            )
        spec = _KINDS[self.kind]
        options: dict[str, Any] = {}
        for key, value in self.options.items():
            if key not in spec:
                raise ValueError(
                    f"Unknown option {key!r} for a {self.kind!r} data source. "
                    f"Valid options are: {', '.join(spec)}."
                )
            if isinstance(value, tuple):
                value = list(value)
            if isinstance(value, Path):
                value = str(value)
            types = spec[key][0]
            if isinstance(value, bool) and bool not in types:
                types = ()
            if not isinstance(value, types):
                raise ValueError(
                    f"Invalid value for option {key!r} of a {self.kind!r} data source: "
                    f"expected {_type_names(spec[key][0])}. Received: {value!r}"
                )
            _check_json(key, value)
            options[key] = value
        missing = [
            k for k, (_, default) in spec.items() if default is REQUIRED and k not in options
        ]
        if missing:
            raise ValueError(
                f"A {self.kind!r} data source needs the option(s) {', '.join(missing)}."
            )
        object.__setattr__(self, "options", options)

    def option(self, key: str) -> Any:
        """The option's value, or its default."""
        if key in self.options:
            return self.options[key]
        default = _KINDS[self.kind][key][1]
        return None if default is REQUIRED else default

    @property
    def paths(self) -> list[str]:
        """The files and folders this source reads (to check they still exist)."""
        return [v for k, v in self.options.items() if k in PATH_OPTIONS and v is not None]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data: {"kind": ..., "options": {...}}."""
        return {"kind": self.kind, "options": _copy(self.options)}

    @classmethod
    def from_dict(cls, data: Any) -> DataSource:
        """Validate and rebuild; raises ValueError saying what is wrong."""
        if not isinstance(data, Mapping):
            raise ValueError(
                f"A data source must be a dict with 'kind' and 'options'. Received: {data!r}"
            )
        unknown = set(data) - {"kind", "options"}
        if unknown:
            raise ValueError(
                f"Unknown data source field(s): {', '.join(sorted(map(str, unknown)))}. "
                "Expected 'kind' and 'options'."
            )
        if "kind" not in data:
            raise ValueError("A data source needs a 'kind'. Valid kinds are: " + ", ".join(KINDS))
        if not isinstance(data["kind"], str):
            raise ValueError(
                f"Invalid data source kind: {data['kind']!r}. Valid kinds are: {', '.join(KINDS)}."
            )
        options = data.get("options") or {}
        if not isinstance(options, Mapping):
            raise ValueError(f"Data source options must be a dict. Received: {options!r}")
        return cls(data["kind"], dict(options))

    def describe(self) -> str:
        """A short human description for the GUI."""
        o = self.options
        if self.kind == "sample":
            return f"built-in sample '{o['name']}'"
        if self.kind == "generator":
            return f"generated '{o['name']}' data"
        if self.kind == "fashion_mnist":
            return "Fashion-MNIST"
        names = ", ".join(Path(p).name for p in self.paths)
        return f"{self.kind.upper()} file(s) {names}"

    def load(
        self,
        progress: ProgressFn | None = None,
        cancelled: CancelledFn | None = None,
        *,
        base_dir: str | Path | None = None,
    ) -> Dataset:
        """Load the data again; relative paths are taken from `base_dir` when given."""
        from designer.data import loaders

        options = {k: self.option(k) for k in _KINDS[self.kind]}
        if base_dir is not None:
            for key in PATH_OPTIONS & options.keys():
                if options[key] is not None and not Path(options[key]).is_absolute():
                    options[key] = str(Path(base_dir) / options[key])
        dataset = loaders.load_kind(self.kind, options, progress, cancelled)
        return dataset.with_source(self)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
