"""The command line: thin. Parses flags, calls the library, maps errors to exit codes.

Exit codes: 0 passed; 1 the gate failed; 2 usage, input or rubric error; 130 interrupted.
"""

from __future__ import annotations

import sys

EXIT_HELP = """Exit codes: 0 passed; 1 the gate failed (--fail-under, --fail-under-overall, --fail-level);
2 usage, input or rubric error; 130 interrupted."""


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    # fast path: no heavy import for --version
    if args in (["--version"], ["-V"]):
        from shiftcheck import __version__

        print(f"shiftcheck {__version__}")
        raise SystemExit(0)
    from shiftcheck.errors import EXIT_ERROR, EXIT_INTERRUPTED, ShiftcheckError

    try:
        from shiftcheck.commands import app

        app(args=args, prog_name="shiftcheck", standalone_mode=True)
    except KeyboardInterrupt:
        print("shiftcheck: interrupted", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
    except ShiftcheckError as e:
        print(e.line(), file=sys.stderr)
        raise SystemExit(e.exit_code) from None
    except BrokenPipeError:
        raise SystemExit(0) from None
    except SystemExit as e:
        code = e.code
        # click's usage errors exit 2 already; keep every other code as given
        raise SystemExit(code if code is not None else 0) from None
    except Exception as e:
        print(f"shiftcheck: internal error ({e.__class__.__name__}: {e}). Please report it with the file that caused it.", file=sys.stderr)
        raise SystemExit(EXIT_ERROR) from None
