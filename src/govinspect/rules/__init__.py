"""Rubrics (YAML scoring tables) and the scoring engine."""

from govinspect.rules.rubric import DEFAULT_RUBRIC, Rubric, RubricError, available_rubrics, load_rubric
from govinspect.rules.scoring import ScoreResult, score_findings

__all__ = [
    "DEFAULT_RUBRIC",
    "Rubric",
    "RubricError",
    "ScoreResult",
    "available_rubrics",
    "load_rubric",
    "score_findings",
]
