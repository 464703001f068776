"""The colour lists the plots and tables share, kept in one place so a run or a class
looks the same wherever it is drawn."""

from __future__ import annotations

# matplotlib's classic "tab10"; training runs take its first eight, in order.
TAB10 = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)
RUN_COLORS = TAB10[:8]
# Ten distinct class colours (Tableau 10), shared by the Data panel's scatter plot and
# its class table.
CLASS_COLORS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


def class_color(index: int) -> str:
    """The colour of class `index` (the list repeats after ten classes)."""
    return CLASS_COLORS[index % len(CLASS_COLORS)]


def run_color(index: int) -> str:
    """The colour of the `index`-th run drawn (the list repeats after eight runs)."""
    return RUN_COLORS[index % len(RUN_COLORS)]
