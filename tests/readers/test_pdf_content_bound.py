"""The page-content check's shortcut: a page whose streams cannot inflate past the limit (by
Flate's 1032:1 ceiling) is passed without inflating them; the answer is the exact count's."""

from __future__ import annotations

import zlib

from shiftcheck.limits import Limits
from shiftcheck.readers.pdf import content_size
from shiftcheck.readers.pdf.content_size import _FLATE_RATIO, MB, first_page_over

from ..hardening.test_hostile_pdf import FONT, TEXT, page, raw_pdf, stream


def test_the_bound_holds_for_the_most_compressible_data():
    for n in (0, 1, 258, 4096, 1 << 20, 16 << 20):
        for level in (1, 6, 9):
            packed = zlib.compress(b"\0" * n, level)
            assert n <= _FLATE_RATIO * (len(packed) + 16)


def _pdf(sizes: list[int]) -> bytes:
    """One page per size, its content the text line padded with spaces to that many bytes."""
    n = len(sizes)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n)), n),
        FONT,
    ]
    for i, size in enumerate(sizes):
        content = TEXT + b" " * (size - len(TEXT))
        objects.append(page(2, 5 + 2 * i))
        objects.append(stream(zlib.compress(content, 9), b"/Filter /FlateDecode"))
    return raw_pdf(objects)


def test_pages_at_and_past_the_limit(tmp_path, monkeypatch):
    limits = Limits(max_page_content_mb=1)
    cases = {
        "small.pdf": ([1000, 2000, 3000], None),
        "at.pdf": ([1000, MB, MB], None),
        "past.pdf": ([1000, MB, MB + 1, 5], 3),
        "first.pdf": ([MB + 1], 1),
    }
    exact_calls = []
    real = content_size.bounded_size
    monkeypatch.setattr(
        content_size, "bounded_size", lambda s, cap: exact_calls.append(1) or real(s, cap)
    )
    for name, (sizes, want) in cases.items():
        path = tmp_path / name
        path.write_bytes(_pdf(sizes))
        assert first_page_over(path, limits) == want, name
    # the small pages were passed by the bound, without inflating anything
    exact_calls.clear()
    assert first_page_over(tmp_path / "small.pdf", limits) is None
    assert exact_calls == []
    # without the shortcut the answers are the same
    monkeypatch.setattr(content_size, "_size_bound", lambda s: None)
    for name, (_sizes, want) in cases.items():
        assert first_page_over(tmp_path / name, limits) == want, name
