"""The public form's fields, read from a posted body and written back as hidden fields.

Field names: ``q.<question>`` for an answer (repeated for a multiple-choice question), ``q.<question>.lon``
/ ``.lat`` for a point clicked on the map and ``q.<question>.zone`` for the zone chosen instead (the
keyboard alternative); ``home_zone`` (a zone code) or ``home_lon`` / ``home_lat`` (a point on the map);
``kode`` (invitation code), ``token`` (made when the form opened, sent on every step and retry),
``lang``, ``step``, ``action`` (``next``, ``back``, ``submit``) and the honeypot ``website``. Answers of the
other sections travel as hidden fields, so the server keeps nothing per respondent between pages.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from nabolag.domain.survey import Questionnaire
from nabolag.services.survey_web import parse_point

PREFIX = "q."
POINT_PARTS = ("lon", "lat", "zone")
HONEYPOT = "website"
ACTIONS = ("next", "back", "submit")


class Unreadable(Exception):
    """The body is not a form or JSON object this route reads."""


@dataclass
class FormState:
    token: str = ""
    lang: str = ""
    step: int = 0
    action: str = ""
    raw: dict[str, list[str]] = field(default_factory=dict)
    home_zone: str = ""
    home_lon: str = ""
    home_lat: str = ""
    invitation: str = ""
    honeypot: str = ""

    def values(self, qid: str) -> list[str]:
        return self.raw.get(PREFIX + qid, [])

    def part(self, qid: str, name: str) -> str:
        found = self.raw.get(f"{PREFIX}{qid}.{name}", [])
        return found[0] if found else ""


def parse_form(body: bytes) -> FormState:
    """A posted form (``application/x-www-form-urlencoded``)."""
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=1000)
    except (UnicodeDecodeError, ValueError) as exc:
        raise Unreadable(str(exc)[:200]) from None
    state = FormState()
    first: dict[str, str] = {}
    for key, value in pairs:
        if key.startswith(PREFIX):
            state.raw.setdefault(key, []).append(value)
        else:
            first.setdefault(key, value)
    state.token, state.lang = first.get("token", ""), first.get("lang", "")
    state.action = first.get("action", "") if first.get("action", "") in ACTIONS else ""
    step = first.get("step", "0")
    state.step = int(step) if step.isdigit() and len(step) < 4 else 0
    state.home_zone, state.home_lon, state.home_lat = (first.get(k, "").strip()[:40]
                                                       for k in ("home_zone", "home_lon", "home_lat"))
    state.invitation, state.honeypot = first.get("kode", "")[:60], first.get(HONEYPOT, "")
    return state


def parse_json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise Unreadable(str(exc)[:200]) from None
    if not isinstance(data, dict):
        raise Unreadable("expected a JSON object")
    return data


def answers(state: FormState, q: Questionnaire, zone_point: Callable[[str], dict[str, float] | None]
            ) -> dict[str, Any]:
    """The answers as the submit service takes them: lists for multiple choice, ``{"lon", "lat"}`` for a
    point (the clicked one, else a point inside the chosen zone); any field naming a question the
    questionnaire lacks is passed on as it is, so the service names it."""
    known = q.by_id
    out: dict[str, Any] = {}
    for key, values in state.raw.items():
        qid, _dot, part = key[len(PREFIX):].partition(".")
        if qid not in known:
            out[qid] = values[0] if len(values) == 1 else values
        elif known[qid].type == "point":
            continue
        elif part:
            out[f"{qid}.{part}"] = values[0]  # not a field of this question's type: the service refuses it
        elif known[qid].type == "multiple":
            out[qid] = [v for v in values if v]
        else:
            out[qid] = values[0] if len(values) == 1 else values
    for x in q.questions():
        if x.type != "point":
            continue
        point = parse_point(state.part(x.id, "lon"), state.part(x.id, "lat"))
        if point is not None:
            out[x.id] = {"lon": point[0], "lat": point[1]}
        elif state.part(x.id, "lon") or state.part(x.id, "lat"):
            out[x.id] = [state.part(x.id, "lon"), state.part(x.id, "lat")]  # bad numbers: the service says so
        elif zone := state.part(x.id, "zone"):
            out[x.id] = zone_point(zone) or {"zone": zone}
    return out


def hidden_fields(state: FormState, q: Questionnaire, section_id: str | None) -> list[tuple[str, str]]:
    """Every answer outside the shown section, as (name, value) pairs for hidden inputs."""
    shown = {x.id for s in q.sections if s.id == section_id for x in s.questions}
    out = []
    for key, values in state.raw.items():
        qid = key[len(PREFIX):].partition(".")[0]
        if qid in shown:
            continue
        out += [(key, v) for v in values if v != ""]
    return out
