"""Rubrics: YAML files validated into :class:`shiftcheck.rubric.schema.Rubric`."""

from shiftcheck.rubric.loader import find_rubric, list_rubrics, load_rubric

__all__ = ["find_rubric", "list_rubrics", "load_rubric"]
