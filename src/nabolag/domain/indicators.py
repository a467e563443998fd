"""Indicator definitions."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Direction(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    NEUTRAL = "neutral"


class Kind(StrEnum):
    CONTEXT = "context"
    INPUT = "input"
    PROCESS = "process"
    RESULT = "result"


class Method(StrEnum):
    REGISTER = "register"
    SURVEY = "survey"
    COUNT = "count"
    OBSERVATION = "observation"
    MAP = "map"
    NETWORK = "network"


@dataclass(frozen=True)
class Indicator:
    """What is measured and how. Names in bokmål (``name_nb``) and English (``name_en``)."""

    code: str
    name_nb: str
    name_en: str = ""
    definition: str = ""
    unit: str = ""
    direction: Direction = Direction.NEUTRAL
    numerator: str = ""
    denominator: str = ""
    kind: Kind = Kind.CONTEXT
    source: str = ""
    method: Method = Method.REGISTER
    disaggregations: tuple[str, ...] = ()
    suppression_threshold: int | None = None
    synthetic: bool = False
    id: int | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def name(self, lang: str = "nb") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_nb
