"""The command line: thin. Parses flags, calls the library, maps errors to exit codes.

Exit codes: 0 passed; 1 the gate failed; 2 usage, input or rubric error; 130 interrupted
(Ctrl-C); 143 terminated (SIGTERM).
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    # fast path: no heavy import for --version
    if args in (["--version"], ["-V"]):
        from shiftcheck import __version__

        print(f"shiftcheck {__version__}")
        raise SystemExit(0)
    from shiftcheck.errors import EXIT_ERROR, EXIT_INTERRUPTED, ShiftcheckError

    _skip_final_collection()
    terminated = _catch_sigterm()
    try:
        _run(args, terminated)
    except KeyboardInterrupt:
        print("shiftcheck: interrupted; no report was written", file=sys.stderr)
        raise SystemExit(143 if terminated else EXIT_INTERRUPTED) from None
    except ShiftcheckError as e:
        print(e.line(), file=sys.stderr)
        raise SystemExit(e.exit_code) from None
    except BrokenPipeError:
        raise SystemExit(0) from None
    except SystemExit:
        raise
    except OSError as e:
        from shiftcheck.output import NO_SPACE, output_error

        if e.errno not in NO_SPACE:  # report files are handled by write_atomic: this is stdout
            print(
                f"shiftcheck: internal error ({e.__class__.__name__}: {e}). Please report it with the file that caused it.",
                file=sys.stderr,
            )
            raise SystemExit(EXIT_ERROR) from None
        print(output_error("standard output", e, atomic=False).line(), file=sys.stderr)
        _silence_stdout()
        raise SystemExit(EXIT_ERROR) from None
    except Exception as e:
        print(
            f"shiftcheck: internal error ({e.__class__.__name__}: {e}). Please report it with the file that caused it.",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_ERROR) from None


def _skip_final_collection() -> None:
    """At exit, move every object out of the garbage collector's reach (``gc.freeze``) before the
    interpreter's last full collection: that collection walks every object the run created and,
    for a one-page review, costs about a sixth of the whole run, only to free memory the process
    is about to hand back anyway. Files are closed and outputs written before this point
    (reports are written atomically; weakref finalizers and atexit handlers still run)."""
    import atexit
    import gc

    atexit.register(gc.freeze)


def _catch_sigterm() -> list[int]:
    """SIGTERM unwinds like Ctrl-C, so partial outputs are removed; the list records it."""
    import contextlib
    import signal

    terminated: list[int] = []

    def _on_term(signum: int, frame: object) -> None:
        terminated.append(signum)
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError, OSError):  # not the main thread
        signal.signal(signal.SIGTERM, _on_term)
    return terminated


def _run(args: list[str], terminated: list[int]) -> None:
    """Run the command; always ends in SystemExit (or KeyboardInterrupt, or the command's error)."""
    import typer

    from shiftcheck.commands import app
    from shiftcheck.errors import EXIT_INTERRUPTED

    try:
        rv = app(args=args, prog_name="shiftcheck", standalone_mode=False)
    except typer.Abort:
        raise KeyboardInterrupt from None
    except typer.Exit as e:
        raise SystemExit(e.exit_code) from None
    except typer.TyperException as e:  # usage errors: one line, exit code 2
        _show_usage_error(e)
        raise SystemExit(getattr(e, "exit_code", 2)) from None
    if terminated or rv == EXIT_INTERRUPTED:  # typer turns Ctrl-C into a 130 return value
        raise KeyboardInterrupt
    sys.stdout.flush()  # a full disk behind stdout is reported here, in one line
    raise SystemExit(rv if isinstance(rv, int) else 0)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not fail a second time."""
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _show_usage_error(e: Exception) -> None:
    """A usage error as one line, like every other error: ``shiftcheck inspect: Missing argument
    'FILE'. See 'shiftcheck inspect --help'``. ``shiftcheck`` alone still prints the help."""
    if type(e).__name__ == "NoArgsIsHelpError":
        e.show()  # type: ignore[attr-defined]
        return
    ctx = getattr(e, "ctx", None)
    where = ctx.command_path if ctx is not None else "shiftcheck"
    message = e.format_message() if hasattr(e, "format_message") else str(e)
    line = f"{where}: {' '.join(message.split())}"
    if ctx is not None:
        line += f"{' ' if line.endswith(('.', '?', '!')) else '. '}See '{where} --help'"
    print(line, file=sys.stderr)
