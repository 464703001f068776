"""Global numeric and layout settings shared by the whole engine (Keras' `config`).

Kept free of other engine imports so every module can read them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from designer.engine import autodiff

_EPSILON = 1e-7
_FLOATX = "float32"
_IMAGE_DATA_FORMAT = "channels_last"
_UIDS: dict[str, int] = {}
_CLEAR_SESSION_HOOKS: list[Callable[[], None]] = []


def epsilon() -> float:
    """The fuzz factor used to avoid log(0) and divisions by zero (default 1e-7)."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    global _EPSILON
    _EPSILON = float(value)


def floatx() -> str:
    """The default float dtype name ('float32')."""
    return _FLOATX


def set_floatx(value: str) -> None:
    """Set the default float dtype; 'float64' is useful for gradient checks."""
    global _FLOATX
    try:
        name = str(np.dtype(value))
    except TypeError:
        name = str(value)
    if name not in ("float16", "float32", "float64"):
        raise ValueError(
            f"Unknown `floatx` value: {value!r}. Expected one of 'float16', 'float32', 'float64'."
        )
    _FLOATX = name
    autodiff.set_default_float(name)


def image_data_format() -> str:
    """'channels_last' (N, H, W, C) or 'channels_first' (N, C, H, W)."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format: str) -> None:
    global _IMAGE_DATA_FORMAT
    fmt = str(data_format).lower()
    if fmt not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', "
            f"'channels_last'}}. Received: data_format={data_format!r}"
        )
    _IMAGE_DATA_FORMAT = fmt


def image_dim_ordering() -> str:
    """Keras 1 spelling: 'th' for channels_first, 'tf' for channels_last."""
    return "th" if _IMAGE_DATA_FORMAT == "channels_first" else "tf"


def set_image_dim_ordering(dim_ordering: str) -> None:
    """Keras 1 spelling used by old tutorials: 'th' -> channels_first, 'tf' -> channels_last."""
    value = str(dim_ordering).lower()
    if value not in ("th", "tf"):
        raise ValueError(
            f"Unknown dim_ordering: {dim_ordering!r}. Expected 'th' "
            "(channels_first) or 'tf' (channels_last)."
        )
    set_image_data_format("channels_first" if value == "th" else "channels_last")


def normalize_data_format(value: str | None) -> str:
    """`None` -> the global setting; otherwise a validated format name."""
    if value is None:
        return _IMAGE_DATA_FORMAT
    fmt = str(value).lower()
    if fmt not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', "
            f"'channels_last'}}. Received: data_format={value!r}"
        )
    return fmt


def get_uid(prefix: str = "") -> int:
    """1, 2, 3... per prefix; layers use it for default names ('dense', 'dense_1')."""
    _UIDS[prefix] = _UIDS.get(prefix, 0) + 1
    return _UIDS[prefix]


def reset_uids() -> None:
    _UIDS.clear()


def register_clear_session_hook(fn: Callable[[], None]) -> None:
    """Let other engine modules reset their global state on `clear_session()`."""
    if fn not in _CLEAR_SESSION_HOOKS:
        _CLEAR_SESSION_HOOKS.append(fn)


def clear_session() -> None:
    """Reset global state (name counters, registered hooks), as Keras does."""
    reset_uids()
    try:  # layer default names ('dense_1' -> 'dense') live in engine.naming
        from designer.engine import naming
    except ImportError:  # pragma: no cover - naming is optional here
        naming = None
    if naming is not None and hasattr(naming, "reset_names"):
        naming.reset_names()
    for fn in list(_CLEAR_SESSION_HOOKS):
        fn()
