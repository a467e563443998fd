"""A contribution from the JSON a phone sends: every field checked, every problem named by field.

The shape (one object per route or place)::

    {"kind": "route", "geometry": {"type": "LineString", "coordinates": [[lon, lat], …]},
     "mode": "walk", "purpose": "school", "comment": "…", "grade": 6, "gender": "female",
     "language": "nb", "participant": "<random id of the child's sitting>"}
    {"kind": "place", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "category": "avoid", …}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import shapely

from nabolag.domain.mapping import (
    COMMENT_MAX_LENGTH,
    GENDERS,
    LANGUAGES,
    ContributionKind,
    MapContribution,
    PlaceCategory,
    Problems,
    RoutePurpose,
    TransportMode,
)
from nabolag.domain.mapping_geometry import from_geojson, route_problem
from nabolag.i18n import _

FIELDS = ("kind", "geometry", "mode", "purpose", "category", "comment", "grade", "gender", "language",
          "participant")
PARTICIPANT_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,100}$")


def _choice(problems: Problems, data: Mapping[str, Any], name: str, enum: type, required: bool) -> Any:
    value = data.get(name)
    if value in (None, ""):
        if required:
            problems.append((name, _("mangler; forventet en av {codes}", codes=", ".join(e.value for e in enum))))
        return None
    try:
        return enum(value)
    except ValueError:
        problems.append((name, _("ukjent verdi «{value}»; forventet en av {codes}", value=str(value)[:40],
                                 codes=", ".join(e.value for e in enum))))
        return None


def parse_contribution(data: object) -> tuple[MapContribution | None, Problems]:
    """A :class:`MapContribution` from its JSON, or ``(None, problems)``; ``problems`` are ``(field,
    message)``. Where it lies (municipality, campaign bounds) is checked by the service."""
    if not isinstance(data, Mapping):
        return None, [("contribution", _("forventet et objekt med kind og geometry"))]
    problems: Problems = [(k, _("ukjent felt")) for k in data if k not in FIELDS][:10]
    kind = _choice(problems, data, "kind", ContributionKind, True)
    mode = purpose = category = None
    geom = None
    if kind == ContributionKind.ROUTE:
        mode = _choice(problems, data, "mode", TransportMode, True)
        purpose = _choice(problems, data, "purpose", RoutePurpose, False) or RoutePurpose.OTHER
        for name in ("category",):
            if data.get(name) not in (None, ""):
                problems.append((name, _("en rute har ikke kategori")))
        geom, why = from_geojson(data.get("geometry"), "LineString")
        why = why or (route_problem(geom) if geom is not None else None)
    elif kind == ContributionKind.PLACE:
        category = _choice(problems, data, "category", PlaceCategory, True)
        for name in ("mode", "purpose"):
            if data.get(name) not in (None, ""):
                problems.append((name, _("et sted har ikke transportmiddel eller formål")))
        geom, why = from_geojson(data.get("geometry"), "Point")
    else:
        why = None
    if why:
        problems.append(("geometry", why))
    comment = data.get("comment") or ""
    if not isinstance(comment, str):
        problems.append(("comment", _("forventet tekst")))
        comment = ""
    elif len(comment) > COMMENT_MAX_LENGTH:
        problems.append(("comment", _("høyst {n} tegn (fant {found})", n=COMMENT_MAX_LENGTH, found=len(comment))))
    elif "\x00" in comment:
        problems.append(("comment", _("teksten har et ugyldig tegn (NUL)")))
    grade = data.get("grade")
    if grade in (None, ""):
        grade = None
    elif isinstance(grade, str) and grade.strip().isdigit():
        grade = int(grade)
    if grade is not None and (isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 13):
        problems.append(("grade", _("forventet et klassetrinn 1–13")))
    gender = data.get("gender") or None
    if gender is not None and gender not in GENDERS:
        problems.append(("gender", _("forventet en av {codes}", codes=", ".join(GENDERS))))
    language = data.get("language") or "nb"
    if language not in LANGUAGES:
        problems.append(("language", _("forventet en av {codes}", codes=", ".join(LANGUAGES))))
    participant = data.get("participant") or None
    if participant is not None and (not isinstance(participant, str) or not PARTICIPANT_PATTERN.match(participant)):
        problems.append(("participant", _("forventet 8–100 tegn: A–Z, a–z, 0–9, _ eller -")))
    if problems or geom is None or kind is None:
        return None, problems
    return MapContribution(kind=kind, geometry=shapely.to_wkb(geom), mode=mode, purpose=purpose,
                           category=category, comment=comment, grade=grade, gender=gender, language=language,
                           participant=participant), []


def contribution_to_json(c: MapContribution) -> dict[str, object]:
    """The JSON shape of a contribution (for a teacher's map, export and tests); inverse of
    :func:`parse_contribution`."""
    geom = shapely.from_wkb(c.geometry)
    return {"kind": str(c.kind), "geometry": shapely.geometry.mapping(geom),
            "mode": str(c.mode) if c.mode else None, "purpose": str(c.purpose) if c.purpose else None,
            "category": str(c.category) if c.category else None, "comment": c.comment, "grade": c.grade,
            "gender": c.gender, "language": c.language}
