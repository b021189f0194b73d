"""Child side of :mod:`shiftcheck.sandbox` when it cannot fork: ``python -m shiftcheck._worker``.

Reads ``[path, limits as a dict, pdf engine, display]`` as JSON on stdin, reads the document with
the sandbox's memory cap, and writes the sandbox's message (a tag byte + JSON) on stdout.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    from shiftcheck.sandbox_messages import child_payload

    args = json.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(child_payload(tuple(args)))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
