"""Command line of `network-designer` / `python main.py`.

Without a sub-command it opens the main window. Kept free of Qt imports at module
level so that headless sub-commands never load Qt.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from designer import __version__

NO_DISPLAY_HELP = """\
network-designer: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set).

Network Designer is a desktop application and needs a screen. On a machine without one:
  * render the window to an image:    python main.py --screenshot window.png
  * run it offscreen (no visible UI):  QT_QPA_PLATFORM=offscreen python main.py
  * run it on a virtual screen:       xvfb-run -a python main.py
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="network-designer",
        description="Design, train and inspect neural networks (Keras API, NumPy engine).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        help="render the main window offscreen to this PNG file and exit",
    )
    parser.add_argument(
        "--template",
        metavar="KEY",
        help="open a template design first (e.g. mnist_cnn, branching); see --list-templates",
    )
    parser.add_argument(
        "--list-templates", action="store_true", help="list the template designs and exit"
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        default="1280x800",
        help="window size for --screenshot (default: 1280x800)",
    )
    return parser


def has_display(environ: os._Environ[str] | dict[str, str] = os.environ) -> bool:
    """Whether Qt can open a window here (or was told to draw offscreen)."""
    if sys.platform != "linux":
        return True
    if environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise SystemExit(  # noqa: B904 (argparse-style exit, the ValueError adds nothing)
            f"network-designer: invalid --size {text!r}: expected WIDTHxHEIGHT, e.g. 1280x800"
        )
    if width < 320 or height < 240:
        raise SystemExit(f"network-designer: --size {text!r} is too small: at least 320x240")
    return width, height


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.list_templates:
        from designer.spec.templates import TEMPLATES

        for item in TEMPLATES:
            print(f"{item.key:16} {item.title}")
        return 0
    if args.template:
        from designer.spec.templates import TEMPLATES

        known = [t.key for t in TEMPLATES]
        if args.template not in known:
            sys.stderr.write(
                f"network-designer: unknown template {args.template!r}; known: {', '.join(known)}\n"
            )
            return 2
    if args.screenshot:
        # A screenshot needs no screen: draw offscreen unless told otherwise.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from designer.ui.app import save_screenshot

        return save_screenshot(args.screenshot, parse_size(args.size), args.template)
    if not has_display():
        sys.stderr.write(NO_DISPLAY_HELP)
        return 2
    from designer.ui.app import run_app

    return run_app(args.template)
