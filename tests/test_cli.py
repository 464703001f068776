"""`main.py` as a user or a script runs it: screenshot mode, and no display."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def run_main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )


def test_screenshot_writes_png_of_window_size(tmp_path: Path) -> None:
    out = tmp_path / "window.png"
    result = run_main("--screenshot", str(out), "--size", "1024x700")
    assert result.returncode == 0, result.stderr
    assert png_size(out) == (1024, 700)
    assert result.stderr == ""


def test_without_display_explains_how_to_run_and_exits_nonzero() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = run_main(env=env)
    assert result.returncode == 2
    assert "no display" in result.stderr
    assert "xvfb-run" in result.stderr and "QT_QPA_PLATFORM=offscreen" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_size_is_explained() -> None:
    result = run_main("--screenshot", "x.png", "--size", "big")
    assert result.returncode != 0
    assert "expected WIDTHxHEIGHT" in result.stderr


def test_console_entry_point_is_declared() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert 'network-designer = "designer.cli:main"' in text


def damaged_project(tmp_path: Path) -> Path:
    from tests.project.test_validation import rewrite, saved, set_at

    return rewrite(saved(tmp_path), set_at(("training", "epochs"), "many"))


def test_a_damaged_project_is_one_line_and_exit_status_2(tmp_path: Path) -> None:
    path = damaged_project(tmp_path)
    for command in (["train", "work.ndproj"], ["export", "work.ndproj", "--script", "x.py"]):
        result = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *command],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=path.parent,
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            "network-designer: cannot open work.ndproj: "
            'training.epochs: expected a whole number, received "many"\n'
        )
        assert not (path.parent / "x.py").exists()


def test_missing_and_non_project_files_exit_2_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "notes.ndproj").write_text("not a zip")
    for name, message in (("missing.ndproj", "no such file"), ("notes.ndproj", "not a Network")):
        result = run_main("train", str(tmp_path / name))
        assert result.returncode == 2
        assert result.stderr.startswith(f"network-designer: cannot open {tmp_path / name}: ")
        assert message in result.stderr and "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1
