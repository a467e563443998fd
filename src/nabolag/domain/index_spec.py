"""A composite index specification: which indicators, how normalised, weighted and aggregated."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Component:
    indicator: str
    weight: float = 1.0
    direction: str | None = None  # None: the indicator's own direction


@dataclass(frozen=True)
class IndexSpec:
    """Versioned with every result computed from it (the YAML text is stored beside the result)."""

    name: str
    components: tuple[Component, ...]
    title_nb: str = ""
    title_en: str = ""
    description: str = ""
    normalisation: str = "decile-score"
    aggregation: str = "arithmetic"
    population_weighting: bool = False
    truncation: tuple[float, float] | None = None
    max_missing: int = 0
    challenged_score: int = 8  # zones scoring at least this are flagged as challenged
    level: str | None = None
    source_text: str = field(default="", compare=False)
