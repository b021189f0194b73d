"""The engine: Document + Rubric -> matches with context, strength and mechanisms.

``analyze(doc, rubric, lang)`` returns an :class:`Analysis`; :mod:`shiftcheck.scoring` turns it into
per-shift results. See :mod:`shiftcheck.engine.analyze` for the rules.
"""

from shiftcheck.engine.analyze import Analysis, Match, analyze

__all__ = ["Analysis", "Match", "analyze"]
