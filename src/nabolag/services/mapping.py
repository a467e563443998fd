"""Children's map campaigns (issue 7): create, open, close, list, new codes. A child's contribution is
:func:`nabolag.services.mapping_contribute.contribute` (re-exported here), the teacher's and staff's view
of the contributions :func:`~nabolag.services.mapping_contribute.list_contributions`.

Every change needs a writing role and the right to the campaign's area (admin and analyst everywhere, a
coordinator in its own areas; a campaign without area: admin or analyst), runs in one transaction and is
recorded in the audit log (object type ``map_campaign``).
"""

from __future__ import annotations

import json
from dataclasses import replace

import shapely

from nabolag.domain.mapping import CampaignStatus, MapCampaign, campaign_problems, new_access_code
from nabolag.errors import ConflictError, PermissionDenied
from nabolag.i18n import _
from nabolag.services.context import Context
from nabolag.services.mapping_base import (
    campaign_audit,
    campaign_row,
    municipality_region,
    require_campaign_rights,
    to_campaign,
)
from nabolag.services.mapping_contribute import contribute, list_contributions, teacher_campaign
from nabolag.services.programme_base import fail
from nabolag.store import mapping as repo
from nabolag.store import zones as zone_repo

__all__ = ["close_campaign", "contribute", "create_campaign", "get_campaign", "list_campaigns", "list_contributions",
           "new_codes", "open_campaign", "teacher_campaign"]


def _where(code: str) -> str:
    return _("kartleggingen {code}", code=code[:60])


def _geometry_problems(c: MapCampaign) -> list[tuple[str, str]]:
    problems = []
    for name, value, kinds in (("bounds", c.bounds, ("Polygon", "MultiPolygon")), ("school_point", c.school_point,
                                                                                   ("Point",))):
        if value is None:
            continue
        try:
            geom = shapely.from_wkb(value)
        except (shapely.errors.GEOSException, TypeError):
            problems.append((name, _("geometrien kan ikke leses")))
            continue
        if geom.geom_type not in kinds or geom.is_empty or not geom.is_valid:
            problems.append((name, _("forventet en gyldig geometri av typen {kinds}", kinds=" / ".join(kinds))))
        elif not all(-180 <= v <= 180 for v in geom.bounds[::2]) or not all(-90 <= v <= 90 for v in geom.bounds[1::2]):
            problems.append((name, _("koordinatene må være lengde- og breddegrad (EPSG:4326)")))
    return problems


def _unique_code(conn: object) -> str:
    for _i in range(20):
        code = new_access_code()
        if not repo.code_in_use(conn, code):  # type: ignore[arg-type]
            return code
    raise ConflictError(_("Fant ingen ledig tilgangskode; prøv igjen"))  # pragma: no cover - 40 bits


def create_campaign(ctx: Context, campaign: MapCampaign) -> MapCampaign:
    """A new campaign in status ``draft`` with fresh access and teacher codes (any given are ignored).

    Raises :class:`InputError` naming each bad field (code, title, school, grade group, dates, languages,
    an unknown area or school zone, bad bounds or school point, no zones with geometry to check places
    against), :class:`ConflictError` for a code in use, :class:`PermissionDenied`."""
    where = _where(campaign.code)
    problems = campaign_problems(campaign) + _geometry_problems(campaign)
    require_campaign_rights(ctx, campaign.area_code)
    fail(where, problems)
    with ctx.store.transaction() as conn:
        if repo.get_campaign(conn, campaign.code) is not None:
            raise ConflictError(_("Kartleggingen {code} finnes allerede", code=campaign.code))
        area_id = zone_id = None
        if campaign.area_code:
            found = zone_repo.get_area(conn, campaign.area_code)
            if found is None:
                problems.append(("area", _("ukjent område: {code}", code=campaign.area_code[:60])))
            area_id = found.id if found else None
        if campaign.school_zone:
            z = zone_repo.get_zone(conn, campaign.school_zone)
            if z is None:
                problems.append(("school_zone", _("ukjent sone: {code}", code=campaign.school_zone[:40])))
            zone_id = z.id if z else None
        region, digest = municipality_region(conn)
        if region is None:
            problems.append(("region", _("ingen soner med geometri å kontrollere stedene mot; importer soner først")))
        fail(where, problems)
        access, teacher = _unique_code(conn), _unique_code(conn)
        repo.insert_campaign(conn, {
            "code": campaign.code, "title": campaign.title, "school": campaign.school, "school_zone_id": zone_id,
            "school_point": campaign.school_point, "grade_group": campaign.grade_group.strip(),
            "opens": campaign.opens, "closes": campaign.closes, "area_id": area_id, "status": "draft",
            "languages": json.dumps(list(campaign.languages)), "bounds": campaign.bounds, "region": region,
            "region_sha256": digest, "access_code": access, "teacher_code": teacher,
            "synthetic": campaign.synthetic})
        campaign_audit(conn, ctx, "create", campaign.code, {"school": campaign.school, "area": campaign.area_code,
                                                            "grade_group": campaign.grade_group})
    return get_campaign(ctx, campaign.code)


def get_campaign(ctx: Context, code: str) -> MapCampaign:
    """One campaign. Its access and teacher codes are left empty for anyone who may not change it."""
    with ctx.store.read() as conn:
        c = to_campaign(campaign_row(conn, code))
    return c if _may_change(ctx, c) else replace(c, access_code="", teacher_code="")


def _may_change(ctx: Context, c: MapCampaign) -> bool:
    try:
        require_campaign_rights(ctx, c.area_code)
    except PermissionDenied:
        return False
    return True


def list_campaigns(ctx: Context, status: str | None = None) -> list[MapCampaign]:
    """Every campaign (the role ``public`` sees none: children open a campaign by its code)."""
    if ctx.is_public:
        return []
    with ctx.store.read() as conn:
        found = [to_campaign(r) for r in repo.list_campaigns(conn)]
    found = [c if _may_change(ctx, c) else replace(c, access_code="", teacher_code="") for c in found]
    return [c for c in found if status is None or c.status == status]


def area_campaigns(ctx: Context, area_code: str) -> list[dict[str, str]]:
    """The area's campaigns that have begun (open or closed), for everyone, the public included: code,
    title, school, grade group and status; never the codes children or teachers type. Their public pages
    show aggregated layers only."""
    with ctx.store.read() as conn:
        found = [to_campaign(r) for r in repo.list_campaigns(conn)]
    return [{"code": c.code, "title": c.title, "school": c.school, "grade_group": c.grade_group,
             "status": str(c.status)}
            for c in found if c.area_code == area_code and c.status != CampaignStatus.DRAFT]


def _set_status(ctx: Context, code: str, status: CampaignStatus) -> MapCampaign:
    with ctx.store.transaction() as conn:
        row = campaign_row(conn, code)
        require_campaign_rights(ctx, row["area"])
        values: dict[str, object] = {"status": status.value}
        if status == CampaignStatus.OPEN:
            region, digest = municipality_region(conn)
            if region is None:
                fail(_where(code), [("region", _("ingen soner med geometri å kontrollere stedene mot"))])
            values |= {"opened_at": repo.now(), "region": region, "region_sha256": digest}
        else:
            values["closed_at"] = repo.now()
        repo.update_campaign(conn, int(row["id"]), **values)
        campaign_audit(conn, ctx, status.value, code)
    return get_campaign(ctx, code)


def open_campaign(ctx: Context, code: str) -> MapCampaign:
    """Open for contributions (within its period, if it has one); the municipality's outline is read again."""
    return _set_status(ctx, code, CampaignStatus.OPEN)


def close_campaign(ctx: Context, code: str) -> MapCampaign:
    """Close: no more contributions; a retry of one already stored still gets its receipt."""
    return _set_status(ctx, code, CampaignStatus.CLOSED)


def new_codes(ctx: Context, code: str) -> MapCampaign:
    """Fresh access and teacher codes (the old ones stop working at once), e.g. after a code leaked."""
    with ctx.store.transaction() as conn:
        row = campaign_row(conn, code)
        require_campaign_rights(ctx, row["area"])
        repo.update_campaign(conn, int(row["id"]), access_code=_unique_code(conn), teacher_code=_unique_code(conn))
        campaign_audit(conn, ctx, "new_codes", code)
    return get_campaign(ctx, code)

