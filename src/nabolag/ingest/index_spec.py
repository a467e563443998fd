"""Read a composite-index specification from YAML (a file, or a built-in spec by name)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from nabolag.analysis.normalise import METHODS
from nabolag.domain.index_spec import Component, IndexSpec
from nabolag.errors import InputError
from nabolag.i18n import _

FIELDS = {"name", "title_nb", "title_en", "description", "normalisation", "aggregation", "population_weighting",
          "truncation", "max_missing", "challenged_score", "level", "components"}
DIRECTIONS = ("higher_is_better", "lower_is_better")


def builtin_specs() -> dict[str, str]:
    """Built-in spec names → their YAML text."""
    folder = resources.files("nabolag") / "specs"
    return {p.name[:-5]: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".yaml")}


def load_spec(name_or_path: str) -> IndexSpec:
    """A built-in spec (``ssb-levekar``, ``oslo-levekar``) or a YAML file."""
    builtin = builtin_specs()
    if name_or_path in builtin:
        return parse_spec(builtin[name_or_path], f"{name_or_path} (innebygd)")
    path = Path(name_or_path)
    if not path.is_file():
        raise InputError(_("Ukjent indeksspesifikasjon «{spec}»; innebygde: {names}, eller en YAML-fil",
                           spec=name_or_path, names=", ".join(sorted(builtin))))
    return parse_spec(path.read_text(encoding="utf-8"), str(path))


def parse_spec(text: str, where: str) -> IndexSpec:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(_("{file}: ugyldig YAML: {error}", file=where, error=str(exc))) from exc
    if not isinstance(data, dict):
        raise InputError(_("{file}: forventet en indeksspesifikasjon med felt", file=where))
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise InputError(_("{file}: ukjente felt {fields}; gyldige: {valid}", file=where,
                           fields=", ".join(unknown), valid=", ".join(sorted(FIELDS))))
    if not data.get("name") or not isinstance(data.get("components"), list) or not data["components"]:
        raise InputError(_("{file}: trenger «name» og minst én komponent under «components»", file=where))
    if data.get("normalisation", "decile-score") not in METHODS:
        raise InputError(_("{file}: normalisation «{value}»; gyldige: {valid}", file=where,
                           value=data["normalisation"], valid=", ".join(METHODS)))
    if data.get("aggregation", "arithmetic") not in ("arithmetic", "geometric"):
        raise InputError(_("{file}: aggregation «{value}»; gyldige: arithmetic, geometric", file=where,
                           value=data["aggregation"]))
    components = []
    for i, c in enumerate(data["components"], start=1):
        if not isinstance(c, dict) or not c.get("indicator"):
            raise InputError(_("{file}: komponent {n} mangler «indicator»", file=where, n=i))
        weight = c.get("weight", 1)
        if not isinstance(weight, (int, float)) or weight <= 0:
            raise InputError(_("{file}: komponent {n} ({ind}): vekten må være et positivt tall", file=where, n=i,
                               ind=c["indicator"]))
        if c.get("direction") not in (None, *DIRECTIONS):
            raise InputError(_("{file}: komponent {n}: direction må være {valid}", file=where, n=i,
                               valid=", ".join(DIRECTIONS)))
        components.append(Component(indicator=str(c["indicator"]), weight=float(weight), direction=c.get("direction")))
    truncation = data.get("truncation")
    if truncation is not None and not (isinstance(truncation, list) and len(truncation) == 2
                                       and 0 <= truncation[0] < truncation[1] <= 100):
        raise InputError(_("{file}: truncation må være [nedre, øvre] prosentil, f.eks. [2.5, 97.5]", file=where))
    return IndexSpec(name=str(data["name"]), components=tuple(components), title_nb=data.get("title_nb", ""),
                     title_en=data.get("title_en", ""), description=data.get("description", ""),
                     normalisation=data.get("normalisation", "decile-score"),
                     aggregation=data.get("aggregation", "arithmetic"),
                     population_weighting=bool(data.get("population_weighting", False)),
                     truncation=tuple(truncation) if truncation else None,
                     max_missing=int(data.get("max_missing", 0)), challenged_score=int(data.get("challenged_score", 8)),
                     level=data.get("level"), source_text=text)
