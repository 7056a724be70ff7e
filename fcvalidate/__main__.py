"""The `fcvalidate` command (and `python -m fcvalidate`): the CLI, imported inside a guard so that a
Ctrl-C while it is still loading ends in one line and exit 130, like one during a run."""

from __future__ import annotations

import sys


def run() -> None:
    try:
        from fcvalidate.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)  # errors.EXIT_INTERRUPTED, not imported: it could be the import interrupted
    main()


if __name__ == "__main__":
    run()
