"""Observation sessions from a CSV file (:mod:`nabolag.ingest.sessions`): every cell checked first, each
bad one named by row and column, then all written in one transaction, or nothing.

A session already stored (same id, same site) keeps its header and gets the file's slots, each replacing
the stored slot with the same start: importing the same file twice stores it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nabolag.domain.problems import Problem
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.sessions import read_sessions_text
from nabolag.services.context import Context
from nabolag.services.observation_session_base import require_site_rights, session_audit
from nabolag.services.observation_sessions import session_values
from nabolag.store import imports as imports_repo
from nabolag.store import observation_session as repo


@dataclass(frozen=True)
class SessionImport:
    file: str
    sessions: int
    new_sessions: int
    slots: int
    rows: int
    people: int


def import_sessions_csv(ctx: Context, path: str | Path, *, source: str = "import", synthetic: bool = False
                        ) -> SessionImport:
    """Read and store sessions and counts from ``path`` (see :mod:`nabolag.ingest.sessions`).

    Raises :class:`InputError` listing every bad cell (row and column), an unknown site, a session id used
    at another site, and missing rights for a site's area; nothing is written then."""
    p, digest = ctx.input_file(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(_("{file}: filen er ikke UTF-8", file=p.name)) from exc
    parsed = read_sessions_text(text, p.name)
    problems = list(parsed.problems)
    ctx.require_write()
    with ctx.store.transaction() as conn:
        sites: dict[str, dict[str, object] | None] = {}
        for uid, s in parsed.sessions.items():
            if s.site not in sites:
                sites[s.site] = repo.get_site(conn, s.site)
            site = sites[s.site]
            if site is None:
                problems.append(Problem(p.name, _("ukjent observasjonssted «{code}»", code=s.site[:60]),
                                        row=parsed.first_row.get(uid), field="site"))
                continue
            require_site_rights(ctx, site["area"])  # type: ignore[arg-type]
            stored = repo.get_session(conn, uid)
            if stored is not None and stored["site"] != s.site:
                problems.append(Problem(p.name, _("økt-id-en {uid} er brukt på et annet sted", uid=uid),
                                        row=parsed.first_row.get(uid), field="session"))
        if problems:
            problems.sort(key=lambda x: x.row or 0)
            raise InputError(_("{file}: {n} feil; ingenting er lagret", file=p.name, n=len(problems)), problems)
        import_id = imports_repo.start_import(conn, kind="observation_sessions", file_name=p.name, sha256=digest,
                                              source=source, actor=ctx.actor, options={})
        new = slots = rows = people = 0
        for uid, s in parsed.sessions.items():
            stored = repo.get_session(conn, uid)
            if stored is None:
                values = session_values(s, sites[s.site]) | {"synthetic": synthetic}  # type: ignore[arg-type]
                sid = repo.insert_session(conn, {"uid": uid, "source": source, "import_id": import_id,
                                                 "actor": ctx.actor, **values})
                new += 1
            else:
                sid = int(stored["id"])
            for start, counts in sorted(parsed.slots[uid].items()):
                repo.replace_slot(conn, sid, start.strftime("%H:%M"), [
                    {"movement": str(c.movement), "age_band": c.age_band, "gender": c.gender,
                     "activity": c.activity, "group_size": c.group_size, "count": c.count} for c in counts])
                slots += 1
                rows += len(counts)
                people += sum(c.count for c in counts)
        imports_repo.finish_import(conn, import_id, rows=parsed.rows, warnings=0)
        session_audit(conn, ctx, "import", p.name, {"sessions": len(parsed.sessions), "new": new, "slots": slots})
    return SessionImport(file=p.name, sessions=len(parsed.sessions), new_sessions=new, slots=slots, rows=rows,
                         people=people)
