"""Stored reports: generate an area's baseline or follow-up report once, keep the file, list and fetch it.

A stored report is the exact bytes that were generated (PDF or HTML), with its area, kind, language,
title, who made it and when, whether its figures are synthetic, its size and SHA-256. Anyone may list
and download an area's stored reports (they hold published figures only); saving one needs a role that
writes and the right to the area, and is recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass

from sqlalchemy import insert, select

from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import LANGUAGES, _, get_language, in_language
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.store import imports as imports_repo
from nabolag.store.report_tables import report

KINDS = ("baseline", "follow-up")
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}
#: A stored report larger than this is refused (a report is usually well under 1 MB).
MAX_BYTES = 50 * 1024 * 1024
LISTED = (report.c.id, report.c.kind, report.c.baseline_label, report.c.language, report.c.format, report.c.title,
          report.c.created_at, report.c.actor, report.c.synthetic, report.c.size, report.c.sha256)


def safe_name(text: str) -> str:
    """``text`` with every character but ASCII letters, digits, ``-`` and ``_`` made ``-``: a file name that
    needs no encoding in a header."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in text)


@dataclass(frozen=True)
class StoredReport:
    id: int
    area: str
    kind: str
    baseline_label: str
    language: str
    format: str
    title: str
    created_at: dt.datetime
    actor: str
    synthetic: bool
    size: int
    sha256: str
    content: bytes | None = None

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    @property
    def file_name(self) -> str:
        """``groruddalen-baseline-nb-2026-12-07-3.pdf``: ASCII, so it needs no encoding in a header."""
        return f"{safe_name(self.area)}-{self.kind}-{self.language}-{self.created_at:%Y-%m-%d}-{self.id}.{self.format}"

    def as_dict(self, staff: bool = False) -> dict[str, object]:
        """For pages and JSON: no content; who made it only for signed-in staff."""
        out = {k: v for k, v in asdict(self).items() if k != "content" and (staff or k != "actor")}
        return {**out, "created_at": self.created_at.isoformat(), "kind_label": kind_label(self.kind),
                "file_name": self.file_name, "url": f"/areas/{self.area}/reports/{self.id}"}


def kind_label(kind: str) -> str:
    return {"baseline": _("Nullpunktsanalyse"), "follow-up": _("Oppfølgingsrapport")}.get(kind, kind)


def report_title(kind: str, area_name: str) -> str:
    """The title a stored report gets, in the current language."""
    return _("{kind} for {area}", kind=kind_label(kind), area=area_name)


def check_request(kind: str, lang: str, fmt: str) -> None:
    problems = []
    if kind not in KINDS:
        problems.append(_("ukjent rapporttype «{kind}»; bruk {kinds}", kind=kind[:30], kinds=", ".join(KINDS)))
    if lang not in LANGUAGES:
        problems.append(_("ukjent språk «{lang}»; bruk {langs}", lang=lang[:10], langs=", ".join(LANGUAGES)))
    if fmt not in MEDIA_TYPES:
        problems.append(_("ukjent format «{fmt}»; bruk {formats}", fmt=fmt[:10], formats=", ".join(MEDIA_TYPES)))
    if problems:
        raise InputError(_("Rapporten kan ikke lages: {problems}", problems="; ".join(problems)))


def _from_row(row: dict[str, object], area: str) -> StoredReport:
    created = row["created_at"]
    if isinstance(created, dt.datetime) and created.tzinfo is None:  # SQLite gives naive UTC back
        created = created.replace(tzinfo=dt.UTC)
    return StoredReport(id=int(row["id"]), area=area, kind=str(row["kind"]),  # type: ignore[call-overload]
                        baseline_label=str(row["baseline_label"]), language=str(row["language"]),
                        format=str(row["format"]), title=str(row["title"]), created_at=created,  # type: ignore[arg-type]
                        actor=str(row["actor"]), synthetic=bool(row["synthetic"]), size=int(row["size"]),  # type: ignore[call-overload]
                        sha256=str(row["sha256"]),
                        content=bytes(row["content"]) if row.get("content") is not None else None)  # type: ignore[arg-type]


def save_report(ctx: Context, area_code: str, *, kind: str, content: bytes, fmt: str = "pdf",
                lang: str | None = None, title: str | None = None, synthetic: bool | None = None,
                baseline_label: str = "") -> StoredReport:
    """Keep ``content`` (a generated report) for the area; returns it without the content."""
    ctx.require_write()
    area = zones.get_area(ctx, area_code)
    ctx.require_area(area.code)
    lang = lang or get_language()
    check_request(kind, lang, fmt)
    if not content:
        raise InputError(_("Rapporten er tom og lagres ikke"))
    if len(content) > MAX_BYTES:
        raise InputError(_("Rapporten er for stor ({size} byte; høyst {max})", size=len(content), max=MAX_BYTES))
    values = {"kind": kind, "baseline_label": (baseline_label or "")[:100], "language": lang, "format": fmt,
              "title": (title or report_title(kind, area.name))[:300], "created_at": imports_repo.now(),
              "actor": ctx.actor[:100], "synthetic": area.synthetic if synthetic is None else bool(synthetic),
              "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    with ctx.store.transaction() as conn:
        area_id = int(area.id or 0)
        new_id = int(conn.execute(insert(report).values(area_id=area_id, content=content, **values))
                     .inserted_primary_key[0])  # type: ignore[index]
        imports_repo.record_audit(conn, actor=ctx.actor, action="report.save", object_type="report",
                                  object_key=f"{area.code}/{new_id}",
                                  details={"role": ctx.role, **{k: v for k, v in values.items() if k != "created_at"}})
    return _from_row({"id": new_id, **values}, area.code)


def list_reports(ctx: Context, area_code: str) -> list[StoredReport]:
    """The area's stored reports, newest first, without their content."""
    area = zones.get_area(ctx, area_code)
    with ctx.store.read() as conn:
        area_id = int(area.id or 0)
        rows = conn.execute(select(*LISTED).where(report.c.area_id == area_id)
                            .order_by(report.c.created_at.desc(), report.c.id.desc())).mappings().all()
    return [_from_row(dict(r), area.code) for r in rows]


def get_report(ctx: Context, area_code: str, report_id: int) -> StoredReport:
    """One stored report of the area, with its content."""
    area = zones.get_area(ctx, area_code)
    with ctx.store.read() as conn:
        area_id = int(area.id or 0)
        row = conn.execute(select(*LISTED, report.c.content)
                           .where(report.c.area_id == area_id, report.c.id == report_id)).mappings().first()
    if row is None:
        raise NotFoundError(_("Området {area} har ingen lagret rapport {id}", area=area.code, id=report_id))
    return _from_row(dict(row), area.code)


@dataclass(frozen=True)
class Generated:
    """A report made now: its bytes, title, whether its figures are synthetic, the baseline it used."""

    content: bytes
    title: str
    synthetic: bool
    baseline_label: str


def generate(ctx: Context, area_code: str, kind: str, lang: str = "nb", fmt: str = "pdf",
             baseline_label: str | None = None, latest_period: str | None = None) -> Generated:
    """Make the area's report now, in ``lang`` (a follow-up up to ``latest_period``, default the newest);
    nothing is stored."""
    check_request(kind, lang, fmt)
    from nabolag.reports.area import area_report_html, area_report_pdf, build_area_report

    area = zones.get_area(ctx, area_code)
    with in_language(lang):
        model = build_area_report(ctx, area.code, kind, baseline_label, latest_period)
        head: dict = model["report"]  # type: ignore[assignment]
        if fmt == "pdf":
            content = area_report_pdf(ctx, area.code, kind, content=model)
        else:
            content = area_report_html(ctx, area.code, kind, content=model).encode("utf-8")
    return Generated(content=content, title=str(head["title"]), synthetic=bool(head["synthetic"]),
                     baseline_label=str(head.get("baseline") or ""))


def generate_and_save(ctx: Context, area_code: str, kind: str, lang: str = "nb", fmt: str = "pdf",
                      baseline_label: str | None = None) -> StoredReport:
    """Make the area's report and keep it (the permission is checked before the work is done)."""
    ctx.require_write()
    area = zones.get_area(ctx, area_code)
    ctx.require_area(area.code)
    made = generate(ctx, area.code, kind, lang, fmt, baseline_label)
    return save_report(ctx, area.code, kind=kind, content=made.content, fmt=fmt, lang=lang, title=made.title,
                       synthetic=made.synthetic or area.synthetic, baseline_label=made.baseline_label)
