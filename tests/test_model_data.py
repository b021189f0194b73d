"""The report models as JSON data and back without pydantic's serializers or validators
(:mod:`shiftcheck.modeldata`): the same JSON as ``model_dump``, the same Report after the trip
through a review child, and one error line for a damaged message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shiftcheck.errors import CorruptDocument
from shiftcheck.limits import DEFAULT_LIMITS
from shiftcheck.model import BatchReport, DocumentError, Report, ToolInfo
from shiftcheck.modeldata import json_form, rebuild_model
from shiftcheck.sandbox_messages import report_outcome

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DOCUMENTS = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".md", ".docx", ".pdf"))


@pytest.fixture(scope="module")
def reports() -> list[Report]:
    from shiftcheck.api import review

    out = [review(p, guarded=False, verbose=True) for p in DOCUMENTS]
    # a waived flag and a warning, as the workflow layer and the readers set them
    flagged = next(r for r in out if any(s.red_flags for s in r.shifts))
    flag = next(f for s in flagged.shifts for f in s.red_flags)
    flag.waived, flag.waiver_reason = True, "agreed with the ministry"
    flagged.warnings.append("page 3: no text (a scan?)")
    return out


def test_the_shipped_examples_are_all_reviewed() -> None:
    assert len(DOCUMENTS) >= 6
    assert {p.suffix for p in DOCUMENTS} == {".md", ".docx", ".pdf"}


def test_json_form_is_what_model_dump_gives(reports: list[Report]) -> None:
    for r in reports:
        assert json_form(r) == r.model_dump(mode="json", by_alias=True), r.document.path
        # key order too: the JSON report sorts its keys, the child's message does not
        assert list(json_form(r)["shifts"][0]) == list(
            r.model_dump(mode="json", by_alias=True)["shifts"][0]
        )


def test_json_form_of_a_batch_with_an_error(reports: list[Report]) -> None:
    batch = BatchReport(
        tool=ToolInfo(version="0"),
        documents=[*reports, DocumentError(path="x.pdf", error="x.pdf: broken", kind="corrupt")],
    )
    assert json_form(batch) == batch.model_dump(mode="json", by_alias=True)
    assert json_form(batch)["documents"][-1] == {
        "path": "x.pdf",
        "error": "x.pdf: broken",
        "kind": "corrupt",
    }


def test_a_report_survives_the_trip_from_a_review_child(reports: list[Report]) -> None:
    for r in reports:
        raw = b"R" + json.dumps(json_form(r), ensure_ascii=False).encode("utf-8")
        back = report_outcome(raw, 0, r.document.path, "pdf", DEFAULT_LIMITS)
        assert back == r
        assert back.model_dump(mode="json", by_alias=True) == r.model_dump(
            mode="json", by_alias=True
        )
        assert all(isinstance(k, int) for k in back.levels)


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"schema_version": "1.1"}', b'{"unknown": 1}', b"[]", b"\xff\xfe"],
)
def test_a_damaged_report_from_the_child_is_one_error_line(body: bytes) -> None:
    with pytest.raises(CorruptDocument) as err:
        report_outcome(b"R" + body, 0, "plan.pdf", "pdf", DEFAULT_LIMITS)
    assert err.value.line().startswith(
        "plan.pdf: could not be reviewed (the child process sent back damaged data)"
    )


def test_rebuild_refuses_a_wrong_shape(reports: list[Report]) -> None:
    data = json_form(reports[0])
    data["shifts"] = {"not": "a list"}
    with pytest.raises((ValueError, TypeError)):
        rebuild_model(Report, data)
