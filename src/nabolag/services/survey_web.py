"""What the survey pages need beside the survey services: the zones a respondent may give as home zone,
a point on the map turned into one of them (point in polygon over the zones' stored geometries), a
zone's representative point (the keyboard alternative to clicking a map), per-section checks of a
partly filled form, and who may read a survey's admin pages.

There is no postcode register in the repository, so a home zone comes from the zone list or a point
on the map only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from nabolag.domain.problems import Problem
from nabolag.domain.survey import Questionnaire
from nabolag.domain.survey_answers import check_answers
from nabolag.errors import NabolagError, NotFoundError, PermissionDenied
from nabolag.i18n import _
from nabolag.services import zones as zone_service
from nabolag.services.context import ROLES_FOR_ALL_AREAS, Context
from nabolag.services.maps import cached, data_version
from nabolag.services.survey_base import Survey, require_survey_rights

HOME_LEVEL = "delbydel"
"""The level of the home-zone list for a survey of the whole municipality."""


@dataclass(frozen=True)
class HomeZones:
    """The zones offered as home zone: codes and names in list order, their level, and their outlines."""

    level: str
    codes: tuple[str, ...]
    names: tuple[str, ...]
    geometries: np.ndarray  # shapely geometries (None where a zone has none), same order as codes
    tree: shapely.STRtree

    def choices(self) -> list[dict[str, str]]:
        return [{"code": c, "name": n} for c, n in zip(self.codes, self.names, strict=True)]

    def name(self, code: str) -> str:
        return dict(zip(self.codes, self.names, strict=True)).get(code, code)

    def bbox(self) -> list[float] | None:
        valid = [g for g in self.geometries if g is not None]
        return [float(v) for v in shapely.total_bounds(valid)] if valid else None


def _build(ctx: Context, area_code: str | None) -> HomeZones:
    if area_code:
        area = zone_service.get_area(ctx, area_code)
        wanted = list(dict.fromkeys([*area.zone_codes, *area.comparison_codes]))
        found = {z.code: z for z in zone_service.list_zones(ctx, with_geometry=True) if z.code in set(wanted)}
        items = [found[c] for c in wanted if c in found]
    else:
        items = zone_service.list_zones(ctx, level=HOME_LEVEL, with_geometry=True)
        if not items:  # no delbydeler: the level with most zones below the municipality
            every = [z for z in zone_service.list_zones(ctx, with_geometry=True) if str(z.level) != "kommune"]
            levels = [str(z.level) for z in every]
            top = max(set(levels), key=levels.count) if levels else ""
            items = [z for z in every if str(z.level) == top]
    items.sort(key=lambda z: z.name.casefold())
    geoms = np.array([shapely.from_wkb(z.geometry) if z.geometry else None for z in items], dtype=object)
    level = str(items[0].level) if items else HOME_LEVEL
    return HomeZones(level=level, codes=tuple(z.code for z in items), names=tuple(z.name for z in items),
                     geometries=geoms, tree=shapely.STRtree(geoms))


def home_zones(ctx: Context, survey: Survey, version: str | None = None) -> HomeZones:
    """The survey's area's member and comparison zones; for a survey of the whole municipality its
    delbydeler. Kept in memory per database and data version."""
    return cached(ctx, "survey-home-zones", (survey.area or "",), lambda: _build(ctx, survey.area),
                  version=version or data_version(ctx))


def zone_at(ctx: Context, survey: Survey, lon: float, lat: float) -> str | None:
    """The code of the home zone holding the point (WGS 84), or ``None`` if it is in none of them."""
    zones = home_zones(ctx, survey)
    hits = zones.tree.query(shapely.Point(lon, lat), predicate="intersects")
    return zones.codes[int(min(hits))] if len(hits) else None


def zone_point(ctx: Context, survey: Survey, code: str) -> dict[str, float] | None:
    """A point inside the zone (``shapely.point_on_surface``) as ``{"lon", "lat"}``; ``None`` if unknown."""
    zones = home_zones(ctx, survey)
    if code not in zones.codes:
        return None
    geom = zones.geometries[zones.codes.index(code)]
    if geom is None:
        return None
    p = shapely.point_on_surface(geom)
    return {"lon": round(float(p.x), 6), "lat": round(float(p.y), 6)}


def parse_point(lon: object, lat: object) -> tuple[float, float] | None:
    """``(lon, lat)`` from two form fields, or ``None`` if either is empty or not a number in range."""
    try:
        x, y = float(str(lon).replace(",", ".")), float(str(lat).replace(",", "."))
    except ValueError:
        return None
    return (x, y) if -180 <= x <= 180 and -90 <= y <= 90 else None


def section_problems(q: Questionnaire, answers: Mapping[str, Any], section_id: str) -> list[Problem]:
    """The problems of one section of a partly filled form (required questions left empty, wrong values),
    and any answer to a question the questionnaire does not have (a forged id)."""
    own = {x.id for s in q.sections if s.id == section_id for x in s.questions}
    _stored, problems = check_answers(q, answers, _("svaret"))
    return [p for p in problems if p.field in own or (p.field not in q.by_id)]


def require_read(ctx: Context, survey: Survey) -> None:
    """The admin pages of a survey: admin and analyst every survey, a coordinator its own areas' surveys."""
    if ctx.role in ROLES_FOR_ALL_AREAS:
        return
    if ctx.role == "coordinator" and survey.area and survey.area in ctx.areas:
        return
    raise PermissionDenied(_("Rollen «{role}» har ikke tilgang til undersøkelsen {code}", role=ctx.role,
                             code=survey.code))


def may_edit(ctx: Context, survey: Survey) -> bool:
    """Whether the survey services would let ``ctx`` change the survey (asked without raising)."""
    try:
        require_survey_rights(ctx, survey.area)
    except (PermissionDenied, NotFoundError):
        return False
    except NabolagError:
        return False
    return True
