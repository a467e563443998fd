"""Indicator definitions: import from YAML/CSV, define, list."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nabolag.domain.indicators import Indicator
from nabolag.domain.problems import Report
from nabolag.errors import NotFoundError
from nabolag.i18n import _
from nabolag.ingest.indicators import read_indicators
from nabolag.services.context import Context
from nabolag.store import imports as imports_repo
from nabolag.store import indicators as repo


def import_indicators(ctx: Context, path: str | Path, source: str = "") -> Report:
    ctx.require_write()
    p, digest = ctx.input_file(path)
    items, report = read_indicators(p)
    with ctx.store.transaction() as conn:
        import_id = imports_repo.start_import(conn, kind="indicators", file_name=p.name, sha256=digest,
                                              source=source, actor=ctx.actor, options={})
        new, changed = repo.upsert_indicators(conn, items, import_id)
        imports_repo.finish_import(conn, import_id, rows=len(items), warnings=len(report.warnings))
        imports_repo.record_audit(conn, actor=ctx.actor, action="import", object_type="indicators",
                                  object_key=p.name, details={"new": new, "updated": changed})
    report.info(_("{n} nye indikatorer, {m} oppdatert", n=new, m=changed))
    return report


def define_indicators(ctx: Context, items: Sequence[Indicator]) -> None:
    """Create or update indicators given as objects (Python API and demo)."""
    ctx.require_write()
    with ctx.store.transaction() as conn:
        new, changed = repo.upsert_indicators(conn, items, None)
        imports_repo.record_audit(conn, actor=ctx.actor, action="define", object_type="indicators",
                                  object_key=",".join(i.code for i in items)[:200],
                                  details={"new": new, "updated": changed})


def list_indicators(ctx: Context) -> list[Indicator]:
    with ctx.store.read() as conn:
        return repo.list_indicators(conn)


def get_indicator(ctx: Context, code: str) -> Indicator:
    with ctx.store.read() as conn:
        found = repo.get_indicator(conn, code)
    if found is None:
        raise NotFoundError(_("Ukjent indikator: {code}", code=code))
    return found
