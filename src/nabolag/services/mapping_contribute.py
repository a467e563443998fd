"""A child's contribution (the one public write of a map campaign) and the teacher's and staff's view.

**Who may contribute.** Anyone with the campaign's access code, also the role ``public``: the code is the
guard (no names, no accounts). The campaign must be open and today within its period. A contribution
writes no audit entry (its row holds its time and source); every administrative change does.

**Exactly once.** The client sends a token it made for this route or place (16–100 characters, sent again
on every retry); ``map_contribution.token`` is unique and the insert is ``INSERT … ON CONFLICT (token) DO
NOTHING RETURNING id``, as for survey responses.

**Fast.** The contribution is checked before the database is touched; then one short transaction: one
query for the campaign's state by its access code, the municipality's outline only when this process has
not seen it (cached by its SHA-256), and the insert.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import shapely

from nabolag.domain.mapping import ContributionKind, MapCampaign, normalise_access_code
from nabolag.domain.mapping_geometry import outside
from nabolag.domain.mapping_parse import parse_contribution
from nabolag.domain.problems import Problem
from nabolag.errors import ConflictError, InputError, PermissionDenied
from nabolag.i18n import _
from nabolag.services.context import Context
from nabolag.services.mapping_base import (
    cached_region,
    campaign_row,
    may_see_contributions,
    to_campaign,
    today,
)
from nabolag.services.survey_submit import TOKEN_PATTERN
from nabolag.store import mapping as repo


@dataclass(frozen=True)
class Receipt:
    """What a contribution gives back: its id, and whether it had been stored already."""

    contribution_id: int
    duplicate: bool = False


def _where() -> str:
    return _("bidraget")


def _bad(problems: list[tuple[str, str]]) -> InputError:
    where = _where()
    return InputError(_("Bidraget kan ikke lagres: {reason}", reason=problems[0][1]),
                      [Problem(where, message, field=name) for name, message in problems])


def contribute(ctx: Context, campaign_code: str, contribution: Mapping[str, Any], token: str) -> Receipt:
    """Store one route or place, exactly once per ``token``.

    ``campaign_code`` is the access code the child typed (case, spaces and dashes do not matter);
    ``contribution`` the JSON described in :mod:`nabolag.domain.mapping_parse`. Raises :class:`InputError`
    (``problems`` name the field: ``token``, ``campaign_code``, ``kind``, ``geometry``, ``mode``,
    ``purpose``, ``category``, ``comment``, ``grade``, ``gender``, ``language``, ``participant``) for an
    unknown (forged) or closed campaign, a route of one point, a broken or huge geometry (more than 2,000
    points, longer than 30 km), a place or route outside the municipality or the campaign's bounds, a
    comment over 300 characters; :class:`ConflictError` if the token was used in another campaign. Nothing
    is saved on any error. The comment is stored as given: escaping it is the job of whoever shows it."""
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        raise _bad([("token", _("forventet 16–100 tegn: A–Z, a–z, 0–9, _ eller -"))])
    parsed, problems = parse_contribution(contribution)
    if parsed is None:
        raise _bad(problems)
    geom = shapely.from_wkb(parsed.geometry)
    with ctx.store.transaction() as conn:
        state = repo.contribute_state(conn, normalise_access_code(campaign_code))
        if state is None:
            raise _bad([("campaign_code", _("ukjent kode; sjekk koden du fikk av læreren"))])
        cid = int(state["id"])
        opens, closes, day = state["opens"], state["closes"], today()
        if state["status"] != "open" or (opens and day < opens) or (closes and day > closes):
            done = repo.contribution_by_token(conn, token)
            if done is not None and done[1] == cid:
                return Receipt(done[0], duplicate=True)
            raise _bad([("campaign_code", _("kartleggingen er ikke åpen nå"))])
        region = cached_region(state["region_sha256"], lambda: repo.region(conn, cid))
        what = _("ruten") if parsed.kind == ContributionKind.ROUTE else _("stedet")
        if outside(geom, region):
            raise _bad([("geometry", _("{what} ligger utenfor kommunen", what=what))])
        if state["bounds"]:
            bounds = cached_region(hashlib.sha256(state["bounds"]).hexdigest(), lambda: state["bounds"])
            if outside(geom, bounds):
                raise _bad([("geometry", _("{what} ligger utenfor kartleggingens område", what=what))])
        rid = repo.insert_contribution(conn, {
            "campaign_id": cid, "token": token, "kind": parsed.kind.value, "geometry": parsed.geometry,
            "mode": _value(parsed.mode), "purpose": _value(parsed.purpose), "category": _value(parsed.category),
            "comment": parsed.comment, "grade": parsed.grade, "gender": parsed.gender,
            "language": parsed.language, "participant": parsed.participant, "submitted_at": repo.now(),
            "source": "web"})
        if rid is None:
            done = repo.contribution_by_token(conn, token)
            if done is None or done[1] != cid:
                raise ConflictError(_("Innsendingsnøkkelen er brukt i en annen kartlegging"))
            return Receipt(done[0], duplicate=True)
        return Receipt(rid)


def _value(v: object) -> str | None:
    return None if v is None else str(v)


def teacher_campaign(ctx: Context, teacher_code: str) -> MapCampaign:
    """The campaign a teacher code belongs to (its access code shown, its teacher code not).

    Raises :class:`InputError` (field ``teacher_code``) for an unknown code."""
    code = normalise_access_code(teacher_code)
    with ctx.store.read() as conn:
        found = [r for r in repo.list_campaigns(conn) if r["teacher_code"] == code]
    if not found:
        raise _bad([("teacher_code", _("ukjent lærerkode"))])
    c = to_campaign(found[0])
    return MapCampaign(**{**c.__dict__, "teacher_code": ""})


@dataclass(frozen=True)
class ContributionView:
    """One stored contribution for a teacher's or staff's map (never for a public page)."""

    id: int
    kind: str
    geometry: dict[str, Any]
    mode: str | None
    purpose: str | None
    category: str | None
    comment: str
    grade: int | None
    gender: str | None
    language: str
    submitted_at: object

    def as_feature(self) -> dict[str, Any]:
        """A GeoJSON Feature (properties: everything but the geometry)."""
        props = {k: v for k, v in self.__dict__.items() if k != "geometry"}
        props["submitted_at"] = props["submitted_at"].isoformat() if props["submitted_at"] else None
        return {"type": "Feature", "id": self.id, "geometry": self.geometry, "properties": props}


def list_contributions(ctx: Context, code: str, teacher_code: str | None = None) -> list[ContributionView]:
    """Every contribution of campaign ``code`` with its geometry, oldest first.

    For admin, analyst and a coordinator of the campaign's area; or for anyone with the campaign's
    teacher code (a teacher has no account). Raises :class:`PermissionDenied` otherwise,
    :class:`NotFoundError` for an unknown campaign. Participant ids are never returned."""
    with ctx.store.read() as conn:
        row = campaign_row(conn, code)
        teacher_ok = bool(teacher_code) and normalise_access_code(teacher_code or "") == row["teacher_code"]
        if not teacher_ok and not may_see_contributions(ctx, row["area"]):
            raise PermissionDenied(_("Bare lærerkoden eller ansatte med rett til området kan se bidragene"))
        rows = repo.list_contributions(conn, [int(row["id"])])
    return [ContributionView(
        id=int(r["id"]), kind=r["kind"], geometry=shapely.geometry.mapping(shapely.from_wkb(r["geometry"])),
        mode=r["mode"], purpose=r["purpose"], category=r["category"], comment=r["comment"], grade=r["grade"],
        gender=r["gender"], language=r["language"], submitted_at=r["submitted_at"]) for r in rows]
