"""Shared steps of the survey use cases: the survey as the services return it, who may change it, and the
parsed questionnaire of a version (cached by the SHA-256 of its stored text, so never stale)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from nabolag.domain.survey import Questionnaire
from nabolag.domain.survey_parse import parse_questionnaire, questionnaire_to_dict
from nabolag.errors import NotFoundError, PermissionDenied
from nabolag.i18n import _
from nabolag.services.context import ROLES_FOR_ALL_AREAS, Context
from nabolag.services.programme_base import audit
from nabolag.store import survey as repo

STATUSES = ("draft", "open", "closed")
MODES = ("open", "invitation")


@dataclass(frozen=True)
class Survey:
    """A survey round: a questionnaire (current version) put to residents, open or by invitation."""

    code: str
    title: str
    status: str
    mode: str
    languages: tuple[str, ...]
    period: str
    version: int
    area: str | None = None
    created_at: dt.datetime | None = None
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    synthetic: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "title": self.title, "status": self.status, "mode": self.mode,
                "languages": list(self.languages), "period": self.period, "version": self.version,
                "area": self.area, "created_at": _iso(self.created_at), "opened_at": _iso(self.opened_at),
                "closed_at": _iso(self.closed_at), "synthetic": self.synthetic}


def _iso(t: dt.datetime | None) -> str | None:
    return t.isoformat() if t else None


def to_survey(row: dict[str, Any]) -> Survey:
    return Survey(code=row["code"], title=row["title"], status=row["status"], mode=row["mode"],
                  languages=tuple(json.loads(row["languages"])), period=row["period"],
                  version=int(row["current_version"]), area=row["area"], created_at=row["created_at"],
                  opened_at=row["opened_at"], closed_at=row["closed_at"], synthetic=bool(row["synthetic"]))


def survey_row(conn: Connection, code: str) -> dict[str, Any]:
    row = repo.get_survey(conn, code)
    if row is None:
        raise NotFoundError(_("Ukjent undersøkelse: {code}", code=code[:60]))
    return row


def require_survey_rights(ctx: Context, area_code: str | None) -> None:
    """Change a survey: a writing role; for an area's survey the right to that area (a coordinator's own
    areas), for a municipality-wide survey admin or analyst."""
    ctx.require_write()
    if area_code:
        ctx.require_area(area_code)
    elif ctx.role not in ROLES_FOR_ALL_AREAS:
        raise PermissionDenied(_("Bare administrator eller analytiker kan endre en undersøkelse for hele kommunen "
                                 "(rollen er «{role}»)", role=ctx.role))


def survey_audit(conn: Connection, ctx: Context, action: str, code: str, details: dict[str, object] | None = None
                 ) -> None:
    audit(conn, ctx, action, "survey", code, details)


def definition_text(q: Questionnaire) -> tuple[str, str]:
    """The stored JSON of a questionnaire and its SHA-256."""
    text = json.dumps(questionnaire_to_dict(q), ensure_ascii=False, sort_keys=True)
    return text, hashlib.sha256(text.encode()).hexdigest()


_CACHE: dict[str, Questionnaire] = {}
_CACHE_LIMIT = 256


def cached_questionnaire(conn: Connection, version_id: int, sha256: str) -> Questionnaire:
    """The parsed questionnaire of a stored version; parsed once per process and text."""
    found = _CACHE.get(sha256)
    if found is None:
        text = repo.definition_by_id(conn, version_id)
        found = parse_questionnaire(json.loads(text), file=f"survey_version {version_id}")
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[sha256] = found
    return found


def version_questionnaire(conn: Connection, survey_id: int, version: int) -> Questionnaire:
    row = repo.get_version(conn, survey_id, version)
    if row is None:
        raise NotFoundError(_("Undersøkelsen har ingen versjon {v}", v=version))
    return cached_questionnaire(conn, int(row["id"]), str(row["sha256"]))
