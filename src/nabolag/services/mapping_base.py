"""Shared steps of the map-campaign use cases: the campaign as the services return it, who may change or
read it, the audit entry, and the geometry limits (cached by their SHA-256, so never stale)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import shapely
from sqlalchemy import Connection

from nabolag.domain.mapping import CampaignStatus, MapCampaign
from nabolag.domain.mapping_geometry import region_of
from nabolag.errors import NotFoundError, PermissionDenied
from nabolag.i18n import _
from nabolag.services.context import ROLES_FOR_ALL_AREAS, Context
from nabolag.services.programme_base import audit
from nabolag.store import mapping as repo

try:
    _OSLO: dt.tzinfo = ZoneInfo("Europe/Oslo")
except ZoneInfoNotFoundError:  # pragma: no cover - no time zone data on this machine: the date in UTC
    _OSLO = dt.UTC


def today() -> dt.date:
    """Today's date in Norway (campaign periods are Norwegian dates)."""
    return dt.datetime.now(_OSLO).date()


def to_campaign(row: dict[str, Any]) -> MapCampaign:
    return MapCampaign(
        code=row["code"], title=row["title"], school=row["school"], grade_group=row["grade_group"],
        opens=row["opens"], closes=row["closes"], area_code=row["area"], status=CampaignStatus(row["status"]),
        languages=tuple(json.loads(row["languages"])), school_zone=row["school_zone"],
        school_point=row["school_point"], bounds=row["bounds"], access_code=row["access_code"],
        teacher_code=row["teacher_code"], synthetic=bool(row["synthetic"]), created_at=row["created_at"])


def campaign_row(conn: Connection, code: str) -> dict[str, Any]:
    row = repo.get_campaign(conn, code)
    if row is None:
        raise NotFoundError(_("Ukjent kartlegging: {code}", code=str(code)[:60]))
    return row


def require_campaign_rights(ctx: Context, area_code: str | None) -> None:
    """Change a campaign: a writing role; for an area's campaign the right to that area (a coordinator's
    own areas), for a municipality-wide campaign admin or analyst."""
    ctx.require_write()
    if area_code:
        ctx.require_area(area_code)
    elif ctx.role not in ROLES_FOR_ALL_AREAS:
        raise PermissionDenied(_("Bare administrator eller analytiker kan endre en kartlegging for hele kommunen "
                                 "(rollen er «{role}»)", role=ctx.role))


def may_see_contributions(ctx: Context, area_code: str | None) -> bool:
    """Staff who may see single contributions: admin, analyst, a coordinator of the campaign's area."""
    if ctx.role in ROLES_FOR_ALL_AREAS:
        return True
    return ctx.role == "coordinator" and area_code is not None and area_code in ctx.areas


def campaign_audit(conn: Connection, ctx: Context, action: str, code: str,
                   details: dict[str, object] | None = None) -> None:
    audit(conn, ctx, action, "map_campaign", code, details)


def municipality_region(conn: Connection) -> tuple[bytes | None, str]:
    """The municipality's outline as WKB and its SHA-256 (``(None, "")`` when no zones have geometry)."""
    region = region_of(repo.municipality_geometries(conn))
    if region is None:
        return None, ""
    wkb = shapely.to_wkb(region)
    return wkb, hashlib.sha256(wkb).hexdigest()


_CACHE: dict[str, shapely.Geometry] = {}
_CACHE_LIMIT = 64


def cached_region(key: str, load: Any) -> shapely.Geometry | None:
    """A prepared polygon by the SHA-256 of its WKB; ``load()`` gives the WKB when it is not cached."""
    found = _CACHE.get(key)
    if found is None:
        wkb = load()
        if not wkb:
            return None
        found = region_of([wkb])
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[key] = found
    return found
