"""Non-UI packages never load Qt: scripts and headless training stay light and safe."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import designer


def non_ui_modules() -> list[str]:
    names = ["designer", "designer.cli"]
    for info in pkgutil.walk_packages(designer.__path__, "designer."):
        if info.name.startswith("designer.ui"):
            continue
        names.append(info.name)
    return sorted(set(names))


def test_engine_and_other_non_ui_packages_load_no_qt() -> None:
    modules = non_ui_modules()
    assert "designer.engine" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "qt_roots = ('PySide6', 'shiboken6', 'pyqtgraph', 'PyQt5', 'PyQt6')\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in qt_roots)\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Qt modules loaded by non-UI code: {result.stdout}"
