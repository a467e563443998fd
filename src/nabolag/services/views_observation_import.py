"""Observation sessions from a CSV file in the browser: the upload is staged (:mod:`nabolag.services.staging`:
a random token, its owner, removed after 24 hours), checked by a dry run that writes nothing, and imported by
:func:`observation_session_import.import_sessions_csv` only when confirmed (which checks everything again in
its one transaction).

The service has no dry run yet (requested), so the check here runs the same reader
(:func:`nabolag.ingest.sessions.read_sessions_text`: every cell named by row and column) and looks up, read
only, the sites (unknown site), the rights to each site's area, and the session ids already used at another
site. The report is ``{ok, sessions, new_sessions, slots, rows, people, message, problems: [{row, column,
message, found}]}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from nabolag.domain.problems import Problem
from nabolag.errors import InputError, NotFoundError, PermissionDenied
from nabolag.i18n import _
from nabolag.ingest.sessions import read_sessions_text
from nabolag.services import observation_sessions, staging
from nabolag.services.context import Context
from nabolag.services.observation_session_base import require_site_rights
from nabolag.services.observation_session_import import import_sessions_csv

KIND = "observation_sessions"


def stage_csv(root: Path, stream: BinaryIO, *, file_name: str, owner: str, max_bytes: int) -> staging.Staged:
    """Keep an uploaded sessions CSV under a new token (nothing is written to the database)."""
    return staging.stage(root, stream, file_name=file_name, kind=KIND, options={}, owner=owner,
                         max_bytes=max_bytes)


def load_csv(root: Path, token: str, *, actor: str, role: str) -> staging.Staged:
    """The staged upload if it is this user's (admins: anyone's), fresh and a sessions CSV; else 404."""
    staged = staging.load(root, token, actor=actor, role=role)
    if staged.kind != KIND:
        return staging.load(root, "-", actor=actor, role=role)  # raises NotFoundError as for an unknown token
    return staged


def _view(p: Problem) -> dict[str, Any]:
    return {"row": p.row, "column": p.field or "", "message": p.message, "found": p.found or ""}


def check(ctx: Context, root: Path, staged: staging.Staged) -> dict[str, Any]:
    """The dry run: what the import would store, or every problem; nothing is written."""
    path = staged.path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return report(staged, ok=False, message=_("{file}: filen er ikke UTF-8", file=staged.file_name), problems=[])
    parsed = read_sessions_text(text, staged.file_name)
    problems = list(parsed.problems)
    sites = {s.code: s for s in observation_sessions.list_sites(ctx)}
    new = 0
    for uid, s in parsed.sessions.items():
        row = parsed.first_row.get(uid)
        site = sites.get(s.site)
        if site is None:
            problems.append(Problem(staged.file_name, _("ukjent observasjonssted «{code}»", code=s.site[:60]),
                                    row=row, field="site"))
            continue
        try:
            require_site_rights(ctx, site.area_code)
        except PermissionDenied as exc:
            problems.append(Problem(staged.file_name, str(exc), row=row, field="site"))
        try:
            stored = observation_sessions.get_session(ctx, uid)
        except NotFoundError:
            new += 1
            continue
        if stored.site != s.site:
            problems.append(Problem(staged.file_name, _("økt-id-en {uid} er brukt på et annet sted", uid=uid),
                                    row=row, field="session"))
    slots = sum(len(v) for v in parsed.slots.values())
    rows = sum(len(c) for v in parsed.slots.values() for c in v.values())
    people = sum(x.count for v in parsed.slots.values() for c in v.values() for x in c)
    if problems:
        problems.sort(key=lambda x: x.row or 0)
        return report(staged, ok=False, message=_("{file}: {n} feil; ingenting er lagret", file=staged.file_name,
                                                  n=len(problems)), problems=[_view(p) for p in problems])
    return report(staged, ok=True, message="", problems=[], sessions=len(parsed.sessions), new_sessions=new,
                  slots=slots, rows=rows, people=people)


def confirm(ctx: Context, root: Path, staged: staging.Staged) -> dict[str, Any]:
    """Import for real (checked again by the service in one transaction); the report either way."""
    try:
        done = import_sessions_csv(ctx, staged.path(root), source="web")
    except InputError as exc:
        return report(staged, ok=False, message=exc.message, problems=[_view(p) for p in exc.problems])
    return report(staged, ok=True, message="", problems=[], sessions=done.sessions, new_sessions=done.new_sessions,
                  slots=done.slots, rows=done.rows, people=done.people, stored=True)


def report(staged: staging.Staged, *, ok: bool, message: str, problems: list[dict[str, Any]], sessions: int = 0,
           new_sessions: int = 0, slots: int = 0, rows: int = 0, people: int = 0, stored: bool = False
           ) -> dict[str, Any]:
    base = f"/observe/import/{staged.token}"
    return {"token": staged.token, "file": staged.file_name, "ok": ok, "message": message, "problems": problems,
            "sessions": sessions, "new_sessions": new_sessions, "slots": slots, "rows": rows, "people": people,
            "stored": stored,
            "links": {"report": base, "confirm": f"{base}/confirm", "discard": f"{base}/discard", "list": "/observe"}}
