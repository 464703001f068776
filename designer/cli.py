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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    train = commands.add_parser(
        "train", help="train a saved project without the GUI and save the results back"
    )
    train.add_argument("project", help="a .ndproj file")
    train.add_argument("--epochs", type=int, help="epochs to train (default: the project's)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    export = commands.add_parser("export", help="export a saved project's model")
    export.add_argument("project", help="a .ndproj file")
    export.add_argument("--keras", metavar="FILE.keras", help="a Keras 3 model file")
    export.add_argument("--script", metavar="FILE.py", help="a Python training script")
    export.add_argument(
        "--target",
        choices=("keras", "engine"),
        default="keras",
        help="what the script imports: real Keras (default) or designer.engine",
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


def run_headless(args: argparse.Namespace) -> int:
    """`train` and `export`: no Qt is loaded; errors are one line on stderr, never a
    traceback. A project file that cannot be opened exits 2, any other failure 1."""
    from designer.headless import HeadlessError, export_project, train_project
    from designer.spec.serialize import ProjectFormatError

    try:
        if args.command == "train":
            run = train_project(args.project, args.epochs, verbose=0 if args.quiet else 1)
            last = {k: v[-1] for k, v in run.history.items()}
            summary = " - ".join(f"{k}: {v:.4f}" for k, v in sorted(last.items()))
            print(
                f"{run.name}: {run.status} after {len(run.epochs)} epochs ({summary}); "
                f"saved to {args.project}"
            )
        else:
            for path in export_project(args.project, args.keras, args.script, args.target):
                print(f"wrote {path}")
    except ProjectFormatError as error:
        where = args.project if error.file is not None else None
        text = f"cannot open {where}: {error.detail}" if where else str(error)
        sys.stderr.write(f"network-designer: {_one_line(text)}\n")
        return 2
    except (HeadlessError, ValueError, OSError, MemoryError) as error:
        sys.stderr.write(f"network-designer {args.command}: {_one_line(str(error))}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"network-designer {args.command}: interrupted\n")
        return 130
    return 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("train", "export"):
        return run_headless(args)
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
