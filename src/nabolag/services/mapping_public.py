"""What a child's map page needs once the access code is typed: the campaign's name, languages, bounds,
school and the texts; never the teacher code, other children's contributions or the area's zones."""

from __future__ import annotations

import shapely

from nabolag.domain.mapping import normalise_access_code
from nabolag.domain.mapping_texts import texts_in
from nabolag.domain.problems import Problem
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services.context import Context
from nabolag.services.mapping_base import to_campaign, today
from nabolag.store import mapping as repo


def child_view(ctx: Context, access_code: str, language: str = "nb") -> dict[str, object]:
    """The campaign behind an access code, for the public map page.

    Returns ``code`` (the access code as stored), ``title``, ``school``, ``grade_group``, ``languages``,
    ``language``, ``accepting`` (open today), ``bounds`` and ``school_point`` (GeoJSON or None) and
    ``texts`` (every child's text in ``language``, see :mod:`nabolag.domain.mapping_texts`). Raises
    :class:`InputError` (field ``campaign_code``) for an unknown code."""
    code = normalise_access_code(access_code)
    with ctx.store.read() as conn:
        state = repo.contribute_state(conn, code)
        rows = [r for r in repo.list_campaigns(conn) if state and r["id"] == state["id"]]
    if not rows:
        message = _("ukjent kode; sjekk koden du fikk av læreren")
        raise InputError(_("Bidraget kan ikke lagres: {reason}", reason=message),
                         [Problem(_("bidraget"), message, field="campaign_code")])
    c = to_campaign(rows[0])
    lang = language if language in c.languages else c.languages[0]
    return {"code": c.access_code, "title": c.title, "school": c.school, "grade_group": c.grade_group,
            "languages": list(c.languages), "language": lang, "accepting": c.accepts_on(today()),
            "bounds": _json(c.bounds), "school_point": _json(c.school_point), "texts": texts_in(lang)}


def _json(wkb: bytes | None) -> dict[str, object] | None:
    return shapely.geometry.mapping(shapely.from_wkb(wkb)) if wkb else None
