"""Submitting a response (the public form), and the live counts per zone.

**Who may submit.** Anyone, also the role ``public`` (a visitor who is not signed in): submitting is the
one write the public may do. It does not pass :meth:`Context.require_write`; it is guarded instead by
the survey itself: it must be ``open``, the answers must fit the questionnaire, and a survey in mode
``invitation`` takes one response per unused invitation code. A submission writes no audit entry (the
response row holds its own time, version and source, and an audit row per resident would only add a
trail linking times to people); every administrative change does.

**Exactly once.** The client sends a token it made for this filled-in form (e.g. a UUID made when the
form was opened, sent again on every retry). ``survey_response.token`` is unique and the insert is
``INSERT … ON CONFLICT (token) DO NOTHING RETURNING id``, so a retried or double-clicked submit, also
two at once on SQLite or PostgreSQL, stores one response and gets its id back.

**Fast.** One short transaction: one query for the survey's state and current version, at most one for
the home zone, the insert, and for invitations one update. The questionnaire is parsed once per
process and version (:func:`~nabolag.services.survey_base.cached_questionnaire`).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nabolag.domain.problems import Problem
from nabolag.domain.survey_answers import check_answers
from nabolag.errors import ConflictError, InputError, NotFoundError
from nabolag.i18n import _
from nabolag.services.context import Context
from nabolag.services.survey_base import cached_questionnaire, require_survey_rights, survey_audit, survey_row
from nabolag.store import survey as repo

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,100}$")
"""A submission token: 16–100 characters of ``A–Z a–z 0–9 _ -`` (a UUID or ``secrets.token_urlsafe()``)."""
INVITATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Invitation codes avoid letters and digits that look alike (I, O, 0, 1)."""
INVITATION_LENGTH = 10


@dataclass(frozen=True)
class Receipt:
    """What a submission gives back: the response's id, and whether it had been stored already."""

    response_id: int
    duplicate: bool = False


def new_token() -> str:
    """A fresh submission token (for clients that do not make their own)."""
    return secrets.token_urlsafe(24)


def _where() -> str:
    return _("svaret")


def submit(ctx: Context, survey_code: str, answers: Mapping[str, Any], token: str, language: str,
           home_zone: str | None = None, invitation_code: str | None = None) -> Receipt:
    """Store one response, exactly once per ``token``.

    Raises :class:`InputError` (``problems`` name the question, or ``token``, ``language``, ``home_zone``,
    ``invitation_code``, ``survey``) for a closed survey, unknown or forged question ids, wrong types,
    values out of range, text over the question's limit (never over 5,000 characters), a language the
    questionnaire does not have, an unknown zone, a missing, unknown or used invitation code;
    :class:`NotFoundError` for an unknown survey; :class:`ConflictError` if the token was used for another
    survey. Free text is stored as given: escaping it is the job of whoever shows it.
    """
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        raise _bad("token", _("forventet 16–100 tegn: A–Z, a–z, 0–9, _ eller -"))
    with ctx.store.transaction() as conn:
        state = repo.submit_state(conn, survey_code)
        if state is None:
            raise NotFoundError(_("Ukjent undersøkelse: {code}", code=str(survey_code)[:60]))
        survey_id, status, mode, version_id, sha = state
        if status != "open":
            done = repo.response_by_token(conn, token)
            if done is not None and done[1] == survey_id:
                return Receipt(done[0], duplicate=True)
            raise _bad("survey", _("undersøkelsen er ikke åpen for svar"))
        q = cached_questionnaire(conn, version_id, sha)
        if not isinstance(language, str) or language not in q.languages:
            raise _bad("language", _("forventet ett av språkene {langs}", langs=", ".join(q.languages)))
        stored, problems = check_answers(q, answers, _where())
        if problems:
            raise InputError(_("Svaret kan ikke lagres: {n} feil", n=len(problems)), problems)
        zone_id = None
        if home_zone:
            zone_id = repo.zone_id(conn, str(home_zone)[:40])
            if zone_id is None:
                raise _bad("home_zone", _("ukjent sone «{code}»", code=str(home_zone)[:40]))
        if mode == "invitation" and not invitation_code:
            raise _bad("invitation_code", _("undersøkelsen krever en invitasjonskode"))
        background = {b: stored.get(x.id, "") for b in ("age_band", "gender", "resident_group")
                      if (x := q.background_question(b)) is not None}
        rid = repo.insert_response(conn, {
            "survey_id": survey_id, "version_id": version_id, "token": token, "submitted_at": repo.now(),
            "language": language, "zone_id": zone_id, "answers": json.dumps(stored, ensure_ascii=False),
            "source": "web", **background})
        if rid is None:
            done = repo.response_by_token(conn, token)
            if done is None or done[1] != survey_id:
                raise ConflictError(_("Innsendingsnøkkelen er brukt i en annen undersøkelse"))
            return Receipt(done[0], duplicate=True)
        if mode == "invitation" and not repo.use_invitation(conn, survey_id, hash_code(survey_code, invitation_code),
                                                           rid):
            raise _bad("invitation_code", _("ukjent eller allerede brukt invitasjonskode"))
        return Receipt(rid)


def _bad(field: str, message: str) -> InputError:
    return InputError(_("Svaret kan ikke lagres: {reason}", reason=message),
                      [Problem(_where(), message, field=field)])


def normalise_code(code: str) -> str:
    """An invitation code as typed (``abcd-efgh jk``) in its stored form (``ABCDEFGHJK``)."""
    return re.sub(r"[\s-]", "", str(code)).upper()[:40]


def hash_code(survey_code: str, code: str | None) -> str:
    """The stored form of an invitation code: SHA-256 of survey code and normalised code (never the code)."""
    return hashlib.sha256(f"{survey_code}:{normalise_code(code or '')}".encode()).hexdigest()


def create_invitations(ctx: Context, survey_code: str, count: int) -> list[str]:
    """``count`` new invitation codes (``XXXXX-XXXXX``, about 50 bits each). Only their hashes are
    stored: print or mail them now, they cannot be shown again."""
    if not 1 <= count <= 100_000:
        raise _bad("count", _("forventet 1–100000 koder"))
    codes = ["".join(secrets.choice(INVITATION_ALPHABET) for _i in range(INVITATION_LENGTH)) for _j in range(count)]
    codes = list(dict.fromkeys(codes))
    with ctx.store.transaction() as conn:
        row = survey_row(conn, survey_code)
        require_survey_rights(ctx, row["area"])
        repo.add_invitations(conn, int(row["id"]), (hash_code(survey_code, c) for c in codes))
        survey_audit(conn, ctx, "invitations", survey_code, {"count": len(codes)})
    return [f"{c[:5]}-{c[5:]}" for c in codes]


@dataclass(frozen=True)
class Counts:
    """Responses so far: the total and per home zone (``""``: no zone given)."""

    survey: str
    total: int
    by_zone: dict[str, int | None]
    invitations: int = 0
    invitations_used: int = 0

    def as_dict(self) -> dict[str, object]:
        return {"survey": self.survey, "total": self.total, "by_zone": self.by_zone,
                "invitations": self.invitations, "invitations_used": self.invitations_used}


def counts(ctx: Context, survey_code: str) -> Counts:
    """Responses per home zone: one grouped query on an index, cheap enough to poll. For the role
    ``public`` zone counts under the suppression threshold are ``None`` (the total is exact)."""
    with ctx.store.read() as conn:
        row = survey_row(conn, survey_code)
        pairs = repo.counts_by_zone(conn, int(row["id"]))
        codes, used = repo.invitation_counts(conn, int(row["id"]))
    threshold = ctx.settings.suppression_threshold if ctx.is_public else 0
    by_zone = {(z or ""): (n if n >= threshold else None) for z, n in sorted(pairs, key=lambda p: p[0] or "")}
    return Counts(survey=survey_code, total=sum(n for _z, n in pairs), by_zone=by_zone, invitations=codes,
                  invitations_used=used)
