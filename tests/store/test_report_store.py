"""Stored reports: the bytes come back exactly, per area, newest first; saving needs the right to the area
and is audited; migration 0011 goes down and up on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest
from alembic import command
from sqlalchemy import inspect, text

from nabolag.domain.zones import Area
from nabolag.errors import InputError, NotFoundError, PermissionDenied
from nabolag.reports import store
from nabolag.services import Context, zones
from nabolag.store import open_store
from nabolag.store.migrate import _config, current_revision, head_revision, migrate

EVERY_BYTE = bytes(range(256)) * 40  # NUL, 0xFF and everything between: a blob, not text


def test_round_trip_listing_and_audit(demo_ctx: Context) -> None:
    first = store.save_report(demo_ctx, "Groruddalen", kind="baseline", content=EVERY_BYTE, lang="nb")
    second = store.save_report(demo_ctx, "groruddalen", kind="follow-up", content=b"<html></html>", fmt="html",
                               lang="en", title="Follow-up", baseline_label="Nullpunkt 2018")
    assert first.synthetic and first.title == "Nullpunktsanalyse for Groruddalen" and first.content is None
    listed = store.list_reports(demo_ctx, "groruddalen")
    assert [r.id for r in listed] == [second.id, first.id]
    got = store.get_report(demo_ctx, "groruddalen", first.id)
    assert got.content == EVERY_BYTE and got.size == len(EVERY_BYTE)
    assert got.sha256 == hashlib.sha256(EVERY_BYTE).hexdigest() and got.media_type == "application/pdf"
    assert got.file_name == f"groruddalen-baseline-nb-{got.created_at:%Y-%m-%d}-{first.id}.pdf"
    assert "actor" not in listed[0].as_dict() and listed[0].as_dict(staff=True)["actor"] == "test"
    with demo_ctx.store.read() as conn:
        audited = conn.execute(text("SELECT object_key FROM audit WHERE action = 'report.save' ORDER BY id")).scalars()
        assert list(audited) == [f"groruddalen/{first.id}", f"groruddalen/{second.id}"]


def test_who_may_save(demo_ctx: Context) -> None:
    zones.save_area(demo_ctx, Area(code="annet", name="Annet område", zone_codes=("0301010104",)))
    for ctx in (replace(demo_ctx, role="viewer"), replace(demo_ctx, role="public"),
                replace(demo_ctx, role="coordinator", areas=("annet",))):
        with pytest.raises(PermissionDenied):
            store.save_report(ctx, "groruddalen", kind="baseline", content=b"%PDF")
    own = replace(demo_ctx, role="coordinator", areas=("groruddalen",), actor="koord")
    assert store.save_report(own, "groruddalen", kind="baseline", content=b"%PDF").actor == "koord"
    viewer = replace(demo_ctx, role="public")
    assert [r.actor for r in store.list_reports(viewer, "groruddalen")] == ["koord"]
    with pytest.raises(NotFoundError):  # a report is fetched through its own area only
        store.get_report(demo_ctx, "annet", store.list_reports(viewer, "groruddalen")[0].id)


@pytest.mark.parametrize(("fields", "message"), [
    ({"kind": "annual"}, "annual"), ({"kind": "baseline", "lang": "se"}, "se"),
    ({"kind": "baseline", "fmt": "docx"}, "docx")])
def test_bad_requests(demo_ctx: Context, fields: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        store.save_report(demo_ctx, "groruddalen", content=b"%PDF", **fields)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="tom"):
        store.save_report(demo_ctx, "groruddalen", kind="baseline", content=b"")
    with pytest.raises(NotFoundError, match="ukjent-omrade"):
        store.list_reports(demo_ctx, "ukjent-omrade")
    assert store.list_reports(demo_ctx, "groruddalen") == []


def test_migration_0011_down_and_up(db_url: str) -> None:
    s = open_store(db_url)
    migrate(s)
    assert current_revision(s) == head_revision() and "report" in inspect(s.engine).get_table_names()
    cfg = _config()
    with s.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0010")
    assert current_revision(s) == "0010" and "report" not in inspect(s.engine).get_table_names()
    migrate(s)
    assert current_revision(s) == head_revision() and "report" in inspect(s.engine).get_table_names()
    s.dispose()
