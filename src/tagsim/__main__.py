"""`python -m tagsim` and the `tagsim` command (`run`).

Ctrl-C while the command line's modules are still being imported has no `try` around it yet: it
would print a traceback. So the first thing done is a SIGINT handler that says "interrupted" and
exits 130, as `cli.main` does once it runs (and where `main` puts Python's own handler back). Only
the interpreter's own start-up, before any tagsim code, is left uncovered.
"""

import os
import signal


def _interrupted_at_start(signum: int, frame: object) -> None:
    os.write(2, b"tagsim: interrupted\n")
    os._exit(130)


def run() -> int:
    """The console script's entry point."""
    signal.signal(signal.SIGINT, _interrupted_at_start)
    from .cli import main

    return main()


if __name__ == "__main__":
    raise SystemExit(run())
