"""Responses collected on paper (CSV), and many responses at once: every row checked against the
questionnaire first, each bad cell named by row and column, then all written in one transaction (or
nothing). ``dry_run=True`` does every check (also the rights) and returns how many rows would be stored,
writing nothing: the web page's report before «Bekreft og lagre».

CSV columns: ``zone`` (home zone code, may be empty), ``language`` (default: the questionnaire's first),
and one column per question id; a ``multiple`` answer lists codes separated by ``;``, a ``point`` is
``lon;lat``. Unknown columns are refused, and so is a row with more cells than the header (named by its row).
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from nabolag.domain.problems import Problem
from nabolag.domain.survey import Questionnaire
from nabolag.domain.survey_answers import check_answers
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services.context import Context
from nabolag.services.survey_base import require_survey_rights, survey_audit, survey_row, version_questionnaire
from nabolag.store import imports as imports_repo
from nabolag.store import survey as repo
from nabolag.store import zones as zone_repo

SOURCES = ("paper", "demo")


def add_responses(ctx: Context, code: str, records: Sequence[Mapping[str, Any]], *, source: str = "paper",
                  file_name: str = "api", sha256: str = "", first_row: int = 1,
                  problems: Sequence[Problem] = (), dry_run: bool = False) -> int:
    """Store ``records`` (each ``{"answers": {...}, "zone": code|None, "language": lang}``) as responses of
    the current version, all or none. Problems name the row (``first_row`` + index) and the question;
    ``problems`` found earlier (e.g. while reading the file) are reported with them and also stop the write.
    ``dry_run``: check everything the same way, write nothing and return how many would be stored."""
    if source not in SOURCES:
        raise InputError(_("Ukjent kilde: {source}", source=source))
    with ctx.store.read() if dry_run else ctx.store.transaction() as conn:
        row = survey_row(conn, code)
        require_survey_rights(ctx, row["area"])
        sid, version = int(row["id"]), int(row["current_version"])
        q = version_questionnaire(conn, sid, version)
        version_id = int(repo.get_version(conn, sid, version)["id"])  # type: ignore[index]
        zone_ids = zone_repo.zone_ids(conn)
        rows, found = _prepare(q, records, zone_ids, file_name, first_row)
        found = sorted([*problems, *found], key=lambda p: p.row or 0)
        if found:
            raise InputError(_("{file}: {n} feil; ingenting er lagret", file=file_name, n=len(found)), found)
        if dry_run:
            return len(rows)
        import_id = imports_repo.start_import(conn, kind="survey_responses", file_name=file_name, sha256=sha256,
                                              source=source, actor=ctx.actor, options={"survey": code})
        now = repo.now()
        for r in rows:
            r.update(survey_id=sid, version_id=version_id, submitted_at=now, source=source, import_id=import_id,
                     token=f"{source}-{secrets.token_urlsafe(18)}")
        repo.insert_responses(conn, rows)
        imports_repo.finish_import(conn, import_id, rows=len(rows), warnings=0)
        survey_audit(conn, ctx, "import", code, {"responses": len(rows), "source": source, "file": file_name})
    return len(rows)


def _prepare(q: Questionnaire, records: Sequence[Mapping[str, Any]], zone_ids: Mapping[str, int], file_name: str,
             first_row: int) -> tuple[list[dict[str, Any]], list[Problem]]:
    rows, problems = [], []
    background = {b: x.id for b in ("age_band", "gender", "resident_group")
                  if (x := q.background_question(b)) is not None}
    for i, rec in enumerate(records):
        line = first_row + i
        stored, found = check_answers(q, rec.get("answers") or {}, file_name)
        problems += [Problem(file_name, p.message, row=line, field=p.field, found=p.found) for p in found]
        zone = str(rec.get("zone") or "").strip()
        if zone and zone not in zone_ids:
            problems.append(Problem(file_name, _("ukjent sone «{code}»", code=zone[:40]), row=line, field="zone"))
        language = str(rec.get("language") or q.default_language)
        if language not in q.languages:
            problems.append(Problem(file_name, _("forventet ett av språkene {langs}", langs=", ".join(q.languages)),
                                    row=line, field="language"))
        rows.append({"zone_id": zone_ids.get(zone), "language": language,
                     "answers": json.dumps(stored, ensure_ascii=False),
                     **{b: stored.get(qid, "") for b, qid in background.items()}})
    return rows, problems


def import_paper_csv(ctx: Context, code: str, path: str | Path, *, dry_run: bool = False) -> int:
    """Import paper responses from a CSV file (see the module text); returns how many were stored (with
    ``dry_run``: how many would be, nothing written)."""
    p, digest = ctx.input_file(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(_("{file}: filen er ikke UTF-8", file=p.name)) from None
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if text.split("\n", 1)[0].count(";") else ",")
    q = _current(ctx, code)
    known = set(q.by_id) | {"zone", "language"}
    unknown = [c for c in reader.fieldnames or [] if c not in known]
    if unknown:
        raise InputError(_("{file}: ukjente kolonner {cols}", file=p.name, cols=", ".join(unknown)),
                         [Problem(p.name, _("ukjent kolonne"), row=1, field=c) for c in unknown])
    records, extra = [], []
    width = len(reader.fieldnames or [])
    for line, cells in enumerate(reader, start=2):
        rest = cells.get(None)  # DictReader puts the cells beyond the header under None
        if rest:
            extra.append(Problem(p.name, _("raden har {n} celler, men overskriften har {width} kolonner (sett en "
                                           "celle med skilletegn i, som a;b, i anførselstegn)",
                                           n=width + len(rest), width=width), row=line,
                                 found=";".join(str(c) for c in rest)[:60]))
        answers: dict[str, Any] = {}
        for qid, x in q.by_id.items():
            cell = (cells.get(qid) or "").strip()
            if cell and x.type == "multiple":
                answers[qid] = [v.strip() for v in cell.split(";") if v.strip()]
            elif cell and x.type == "point":
                answers[qid] = cell.replace(",", ";").split(";")
            else:
                answers[qid] = cell
        records.append({"answers": answers, "zone": cells.get("zone"), "language": cells.get("language")})
    return add_responses(ctx, code, records, source="paper", file_name=p.name, sha256=digest, first_row=2,
                         problems=extra, dry_run=dry_run)


def _current(ctx: Context, code: str) -> Questionnaire:
    with ctx.store.read() as conn:
        row = survey_row(conn, code)
        return version_questionnaire(conn, int(row["id"]), int(row["current_version"]))
