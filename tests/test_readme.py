"""The README's commands are the ones CI runs, so they stay true."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    command = re.search(r"TEST_COMMAND='([^']+)'", ci).group(1)
    assert command in (ROOT / "README.md").read_text()


def test_readme_has_the_start_command_and_screenshot() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "bash scripts/setup.sh && .venv/bin/network-designer" in readme
    shot = re.search(r"!\[[^\]]*\]\(([^)]+\.png)\)", readme).group(1)
    assert (ROOT / shot).is_file()
