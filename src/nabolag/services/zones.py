"""Zones, areas and code transitions: import, list, define."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from nabolag.domain.problems import Report
from nabolag.domain.zones import NAME_MAX_LENGTH, Area, Transition, Zone
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _
from nabolag.ingest.transitions import read_transitions
from nabolag.ingest.zones import ZoneOptions, read_zones
from nabolag.services.context import Context
from nabolag.store import imports as imports_repo
from nabolag.store import zones as repo

AREA_CODE_MAX_LENGTH = 60  # area.code VARCHAR(60)


def import_zones(ctx: Context, path: str | Path, opts: ZoneOptions | None = None,
                 source: str = "") -> Report:
    """Validate a zone file completely, then write all of it in one transaction."""
    ctx.require_write()
    p, digest = ctx.input_file(path)
    opts = opts or ZoneOptions()
    ctx.progress(_("Leser soner"), 0.0)
    zones, report = read_zones(p, opts)
    ctx.progress(_("Lagrer soner"), 0.5)
    with ctx.store.transaction() as conn:
        import_id = imports_repo.start_import(conn, kind="zones", file_name=p.name, sha256=digest,
                                              source=source, actor=ctx.actor, options=asdict(opts))
        inserted, updated = repo.upsert_zones(conn, zones, import_id)
        imports_repo.finish_import(conn, import_id, rows=len(zones), warnings=len(report.warnings))
        imports_repo.record_audit(conn, actor=ctx.actor, action="import", object_type="zones",
                                  object_key=p.name, details={"inserted": inserted, "updated": updated})
    report.info(_("{n} nye soner, {m} oppdatert", n=inserted, m=updated))
    ctx.progress(_("Ferdig"), 1.0)
    return report


def list_zones(ctx: Context, level: str | None = None, parent: str | None = None,
               with_geometry: bool = False) -> list[Zone]:
    with ctx.store.read() as conn:
        return repo.list_zones(conn, level=level, parent=parent, with_geometry=with_geometry)


def get_zone(ctx: Context, code: str) -> Zone:
    with ctx.store.read() as conn:
        zone = repo.get_zone(conn, code)
    if zone is None:
        raise NotFoundError(_("Ukjent sone: {code}", code=code))
    return zone


def save_area(ctx: Context, area: Area) -> Area:
    """Create or replace a programme area; every zone code must exist."""
    ctx.require_write()
    if not area.code.strip() or len(area.code) > AREA_CODE_MAX_LENGTH or not area.name.strip() \
            or len(area.name) > NAME_MAX_LENGTH:
        raise InputError(_("Området {area}: koden må ha 1–{n} tegn og navnet 1–{m} tegn", area=area.code[:80],
                           n=AREA_CODE_MAX_LENGTH, m=NAME_MAX_LENGTH))
    if area.start_date and area.end_date and area.end_date < area.start_date:
        raise InputError(_("Området {area}: sluttdato {end} er før startdato {start}", area=area.code,
                           end=area.end_date, start=area.start_date))
    with ctx.store.transaction() as conn:
        known = repo.zone_ids(conn)
        missing = [c for c in (*area.zone_codes, *area.comparison_codes) if c not in known]
        if missing:
            raise InputError(_("Området {area}: ukjente soner {codes}", area=area.code, codes=", ".join(missing)))
        overlap = set(area.zone_codes) & set(area.comparison_codes)
        if overlap:
            raise InputError(_("Området {area}: sonene {codes} kan ikke både være med og sammenligning",
                               area=area.code, codes=", ".join(sorted(overlap))))
        repo.save_area(conn, area)
        imports_repo.record_audit(conn, actor=ctx.actor, action="save", object_type="area", object_key=area.code)
        saved = repo.get_area(conn, area.code)
    assert saved is not None
    return saved


def list_areas(ctx: Context) -> list[Area]:
    with ctx.store.read() as conn:
        return repo.list_areas(conn)


def get_area(ctx: Context, code: str) -> Area:
    """An area by its code, or by its name in any case (``Groruddalen`` finds ``groruddalen``)."""
    with ctx.store.read() as conn:
        area = repo.get_area(conn, code)
        if area is None:
            by_name = [a for a in repo.list_areas(conn) if a.name.casefold() == code.casefold()]
            area = by_name[0] if len(by_name) == 1 else None
    if area is None:
        raise NotFoundError(_("Ukjent område: {code}", code=code))
    return area


def import_transitions(ctx: Context, path: str | Path, source: str = "") -> Report:
    ctx.require_write()
    p, digest = ctx.input_file(path)
    items, report = read_transitions(p)
    with ctx.store.transaction() as conn:
        import_id = imports_repo.start_import(conn, kind="transitions", file_name=p.name, sha256=digest,
                                              source=source, actor=ctx.actor, options={})
        added = repo.add_transitions(conn, items, import_id)
        imports_repo.finish_import(conn, import_id, rows=added, warnings=len(report.warnings))
        imports_repo.record_audit(conn, actor=ctx.actor, action="import", object_type="transitions",
                                  object_key=p.name, details={"added": added})
    report.info(_("{n} kodeendringer lagt til ({m} fantes fra før)", n=added, m=len(items) - added))
    return report


def list_transitions(ctx: Context) -> list[Transition]:
    with ctx.store.read() as conn:
        return repo.list_transitions(conn)


def define_zones(ctx: Context, items: list[Zone]) -> tuple[int, int]:
    """Create or update zones given as objects (Python API and demo). Returns (inserted, updated)."""
    ctx.require_write()
    with ctx.store.transaction() as conn:
        result = repo.upsert_zones(conn, items, None)
        imports_repo.record_audit(conn, actor=ctx.actor, action="define", object_type="zones",
                                  object_key=",".join(z.code for z in items)[:200],
                                  details={"inserted": result[0], "updated": result[1]})
    return result
