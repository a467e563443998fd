"""Read models for pages and their JSON twins: plain dicts, published (suppressed) figures only.

The zone page is in :mod:`views_zone`, the area pages in :mod:`views_area` and the indicator
catalogue in :mod:`views_indicators`; their functions are importable from here too.
"""

from __future__ import annotations

from collections import Counter

from nabolag.domain.zones import Level
from nabolag.services import indicators as indicator_service
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.services.views_area import area_list, area_page
from nabolag.services.views_common import level_label, parse_level, synthetic_note
from nabolag.services.views_indicators import indicator_list, indicator_page
from nabolag.services.views_zone import zone_page

__all__ = ["area_list", "area_page", "indicator_list", "indicator_page", "zone_list", "zone_page"]


def _synthetic(ctx: Context) -> bool:
    return any(i.synthetic for i in indicator_service.list_indicators(ctx))


def zone_list(ctx: Context, level: str | None = None, parent: str | None = None) -> dict[str, object]:
    """Zones, optionally of one level and/or under one parent, by code."""
    lvl = parse_level(level)
    every = zones.list_zones(ctx)
    items = [z for z in every if (lvl is None or str(z.level) == lvl) and (not parent or z.parent_code == parent)]
    counts = Counter(str(z.level) for z in every)
    names = {z.code: z.name for z in every}
    synthetic = _synthetic(ctx)
    return {"level": lvl, "level_label": level_label(lvl) if lvl else None, "parent": parent or None,
            "levels": [{"level": str(k), "level_label": level_label(str(k)), "zones": counts[str(k)]}
                       for k in Level if counts[str(k)]],
            "zones": [{"code": z.code, "name": z.name, "level": str(z.level), "level_label": level_label(str(z.level)),
                       "parent": z.parent_code, "parent_name": names.get(z.parent_code or "")}
                      for z in items],
            "synthetic": synthetic, "note": synthetic_note(synthetic)}
