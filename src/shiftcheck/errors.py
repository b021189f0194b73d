"""Errors a user can act on. Each renders as one line: ``FILE: what is wrong. What to do.``

Exit codes (the same for every command):
    0  passed
    1  the gate failed (thresholds, red flags at or above the fail level)
    2  usage, input or rubric error
    130 interrupted (Ctrl-C)
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_GATE = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130


class ShiftcheckError(Exception):
    """Base class: an error with a one-line message and an exit code."""

    exit_code = EXIT_ERROR
    #: short machine-readable kind, used in JSON batch output
    kind = "error"

    def __init__(self, path: str | None, problem: str, hint: str = "") -> None:
        self.path = path
        self.problem = problem
        self.hint = hint
        super().__init__(self.line())

    def line(self) -> str:
        head = f"{self.path}: " if self.path else ""
        tail = f" {self.hint}" if self.hint else ""
        problem = self.problem.rstrip(".")
        return f"{head}{problem}.{tail}".replace("\n", " ")


class InputError(ShiftcheckError):
    """The document cannot be read (missing, unsupported, corrupt, encrypted, no text...)."""

    kind = "input"


class UnsupportedFormat(InputError):
    kind = "unsupported"


class EncryptedDocument(InputError):
    kind = "encrypted"


class NoTextError(InputError):
    kind = "no-text"


class CorruptDocument(InputError):
    kind = "corrupt"


class LimitExceeded(InputError):
    kind = "limit"


class RubricError(ShiftcheckError):
    """A rubric file is invalid. ``problems`` holds every ``file:line: message`` found."""

    kind = "rubric"

    def __init__(self, path: str | None, problems: list[str] | str, hint: str = "") -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(path, "; ".join(self.problems) or "invalid rubric", hint)

    def line(self) -> str:  # problems already carry file:line
        return "\n".join(self.problems) if self.problems else super().line()


class UsageError(ShiftcheckError):
    kind = "usage"


class OutputError(ShiftcheckError):
    """A report or file could not be written (disk full, permission denied, read-only)."""

    kind = "output"
