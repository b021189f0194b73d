"""Reading a long PDF's pages in forked worker processes (PDFium is not thread-safe).

PDFium's page loop is ~1.5 ms a page; :func:`split` cuts the pages ``0..n`` into contiguous
ranges, one per idle core (:func:`worker_count`), when each gets at least :data:`PAGES_PER_WORKER`
pages and ``fork()`` is safe (POSIX, one thread: the test of :mod:`shiftcheck.sandbox`);
otherwise there is one range and the caller reads serially. :class:`Workers` forks one child per
range after the first; each child runs ``work(start, stop)`` (which opens the file itself) and
writes the bytes it returns to a pipe, then leaves with ``os._exit``. The parent reads the first
range itself meanwhile, then collects the children's bytes in page order: a child that failed in
any way (an exception, a crash, a fork that could not happen, bytes that do not decode) gives
``None`` and the caller reads that range serially, so the result and every error are those of
the serial read. Children inherit the sandbox's memory cap, check the read timeout per page like
the serial loop, and stop when their parent has gone (:func:`check_parent`).

Measured on the 2-CPU dev box, page loop alone, serial -> two workers, idle machine: 531 pages
0.76 -> 0.49 s, 120 pages 0.179 -> 0.119 s, 89 pages 0.155 -> 0.102 s, 80 pages 0.122 -> 0.081 s,
40 pages 0.061 -> 0.043 s, 30 pages 0.047 -> 0.036 s. The work costs ~5-15 % more CPU in all
(each child parses the fonts again; copy-on-write faults; the transport: the pages' lines go back
as tuples, a 531-page proposal ~15 ms to pickle and ~30 ms to unpickle and rebuild, against
~75 + 65 ms as pickled dataclasses). So on a machine whose cores are busy (another review, a
``--jobs`` batch) a worker only takes turns with the parent and the read gets slower (531 pages:
up to +0.1-0.2 s measured with a fixed two workers); :func:`worker_count` therefore counts only
cores nothing else is running on.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import signal
import threading
from collections.abc import Callable, Iterator

#: fewest pages each worker gets: below twice this a file is read serially (two workers would save
#: under ~25 ms: the fork, the child's own open of the file and the transport eat into it)
PAGES_PER_WORKER = 30

#: in a worker child: the parent's pid (the child stops when the parent is gone)
_PARENT: int | None = None


def worker_count() -> int:
    """Cores this process may run on, less those other work keeps busy right now (Linux: the
    runnable tasks in ``/proc/loadavg``, this process included): on a busy machine (another
    review, a ``--jobs`` batch) a worker would only take turns with the parent on one core."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    try:
        with open("/proc/loadavg", "rb") as fh:
            runnable = int(fh.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        return cores
    return max(1, min(cores, cores - runnable + 1))


def can_fork() -> bool:
    """``fork()`` exists and is safe (no other thread could hold a lock the child needs)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def split(n: int) -> list[tuple[int, int]]:
    """Contiguous ``(start, stop)`` page ranges covering ``0..n``, one per worker; a single range
    when the file is short, there is one core, or ``fork()`` is unsafe."""
    most = n // PAGES_PER_WORKER if PAGES_PER_WORKER > 0 else 1
    if most < 2 or not can_fork():
        return [(0, n)]
    k = min(worker_count(), most)
    if k < 2:
        return [(0, n)]
    return list(itertools.pairwise(n * i // k for i in range(k + 1)))


def check_parent() -> None:
    """In a worker child whose parent has gone (killed at the sandbox's timeout): stop at once."""
    if _PARENT is not None and os.getppid() != _PARENT:
        os._exit(1)


class Workers:
    """One forked child per range, each running ``work(start, stop) -> bytes``; use as a context
    manager (leaving it kills and reaps any child still running)."""

    def __init__(self, ranges: list[tuple[int, int]], work: Callable[[int, int], bytes]) -> None:
        self._children: list[tuple[int, int] | None] = []  # (pid, read fd), None: no child
        try:
            for start, stop in ranges:
                self._children.append(_fork(work, start, stop))
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def results(self) -> Iterator[bytes | None]:
        """Each child's bytes in range order, ``None`` for a child that did not finish cleanly."""
        for i, child in enumerate(self._children):
            if child is None:
                yield None
                continue
            pid, fd = child
            chunks = []
            try:
                while data := os.read(fd, 1 << 20):
                    chunks.append(data)
            finally:
                os.close(fd)
                self._children[i] = None
            _, status = os.waitpid(pid, 0)
            ok = os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
            yield b"".join(chunks) if ok else None

    def close(self) -> None:
        for i, child in enumerate(self._children):
            if child is None:
                continue
            pid, fd = child
            self._children[i] = None
            os.close(fd)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def _fork(work: Callable[[int, int], bytes], start: int, stop: int) -> tuple[int, int] | None:
    """Fork a child running ``work(start, stop)``: ``(pid, read end of its pipe)``, or None when
    the fork itself fails (no memory, no processes left): that range is then read serially."""
    global _PARENT
    parent = os.getpid()
    try:
        r, w = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:  # child: never returns
        code = 1
        try:
            os.close(r)
            gc.disable()  # a short life: the collector would only touch (copy) the parent's pages
            _PARENT = parent
            view = memoryview(work(start, stop))
            while view:
                view = view[os.write(w, view) :]
            code = 0
        except BaseException:
            pass
        finally:
            os._exit(code)
    os.close(w)
    return pid, r


__all__ = ["PAGES_PER_WORKER", "Workers", "can_fork", "check_parent", "split", "worker_count"]
