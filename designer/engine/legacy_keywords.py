"""Keras 1/2 layer keywords and their Keras 3 names: the one table.

Tutorials written for Keras 1 and 2 say `Convolution2D(nb_filter, nb_row, nb_col,
border_mode='same', subsample=(2, 2), dim_ordering='th')`. The engine's layers take
those spellings (each layer the ones its Keras 1 counterpart took), and the code
importer renames them with this same table, so both read old code alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["DIM_ORDERING", "KERAS1_KEYWORDS", "data_format_of", "legacy_arguments"]

# Keras 1/2 keyword -> Keras 3 keyword.
KERAS1_KEYWORDS: dict[str, str] = {
    "output_dim": "units",
    "init": "kernel_initializer",
    "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint",
    "bias": "use_bias",
    "nb_filter": "filters",
    "filter_length": "kernel_size",
    "border_mode": "padding",
    "subsample": "strides",
    "subsample_length": "strides",
    "atrous_rate": "dilation_rate",
    "pool_length": "pool_size",
    "stride": "strides",
    "p": "rate",
    "concat_axis": "axis",
    "dim_ordering": "data_format",
    "beta_init": "beta_initializer",
    "gamma_init": "gamma_initializer",
}

# Keras 1 `dim_ordering` value -> Keras 3 `data_format` ('default': the global setting).
DIM_ORDERING: dict[str, str | None] = {
    "th": "channels_first",
    "tf": "channels_last",
    "default": None,
}


def data_format_of(dim_ordering: Any) -> str | None:
    """The data_format a Keras 1 `dim_ordering` means (None for 'default')."""
    if dim_ordering not in tuple(DIM_ORDERING):  # a list is refused in words, too
        raise ValueError(
            f"Unknown dim_ordering: {dim_ordering!r}. Expected 'th', 'tf' or 'default'."
        )
    return DIM_ORDERING[dim_ordering]


def legacy_arguments(kwargs: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """Pop the Keras 1/2 keywords `names` (and `nb_row`/`nb_col`, `dim_ordering`) from
    `kwargs` and return them under their Keras 3 names.

    A layer names the old keywords it takes, so a keyword another layer took in
    Keras 1 is still refused as unknown.
    """
    found = {KERAS1_KEYWORDS[old]: kwargs.pop(old) for old in names if old in kwargs}
    if "nb_row" in kwargs or "nb_col" in kwargs:
        found["kernel_size"] = (kwargs.pop("nb_row", None), kwargs.pop("nb_col", None))
    if "dim_ordering" in kwargs:
        data_format = data_format_of(kwargs.pop("dim_ordering"))
        if data_format is not None:
            found["data_format"] = data_format
    return found
