"""Anonymised export of a survey's responses for researchers, with a codebook (issue 6, stage 4).

One row per response of every version, in a random order, numbered ``respondent`` 1…n in that order (never
the stored id, which follows the order of submission). Columns:

- ``respondent``, ``version``, ``language``, ``submitted`` (the date in Norwegian time, never the time of
  day), ``source`` (``web``, ``paper``, ``demo``), ``zone`` and ``zone_level``, ``age_band``, ``gender``,
  ``resident_group`` (the background answers, under the same names in every questionnaire);
- one column per question id: ``scale``, ``likert`` and ``number`` as numbers, ``yesno`` as 1/0, ``single``
  as the choice code; a ``multiple`` question as one 0/1 column per choice, ``<question>.<choice>``;
- free text (``text``) only with ``include_text=True``, and then exactly as given;
- a map point (``point``) only with ``include_points=True``, as ``<question>.lon`` and ``<question>.lat``
  rounded to :data:`POINT_DECIMALS` decimals (about 1 km); left out by default, as a place a resident
  marks is often near home.

**Home zones** with fewer responses than the suppression threshold (settings, default 5) get their parent
zone's code, again and again up the zone tree until every code shown has at least the threshold; where
there is no parent left the zone is left empty (:func:`coarsen_zones`). Invitation codes, tokens, stored
ids, times of day and import batches are never read into the export; IP addresses are never stored.

An empty cell means *not answered*; where the respondent's ``version`` is older than the question's (or
choice's) ``added_in_version`` in the codebook it means *not asked*. Rights: admin and analyst; a
coordinator for a survey of one of their own areas. Every export is audited (``survey``, ``export``).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from nabolag.domain.survey import Question, Questionnaire
from nabolag.errors import InputError, PermissionDenied
from nabolag.i18n import _
from nabolag.services.context import ROLES_FOR_ALL_AREAS, Context
from nabolag.services.survey_base import survey_audit, survey_row, version_questionnaire
from nabolag.services.survey_export_files import FORMATS, Column, codebook, write_files
from nabolag.store import survey as repo
from nabolag.store import zones as zone_repo

POINT_DECIMALS = 2
"""Decimals a map point keeps when points are exported: 0.01° is about 1.1 km north–south, 0.6 km east–west."""
FIXED = ("respondent", "version", "language", "submitted", "source", "zone", "zone_level", "age_band", "gender",
         "resident_group")
_MAX_LEVELS = 20  # a zone tree deeper than this (or a cycle) leaves the remaining small zones empty


@dataclass(frozen=True)
class SurveyExport:
    """What :func:`export_responses` wrote."""

    files: tuple[Path, ...]
    rows: int
    columns: int
    zones_coarsened: int
    """Responses whose home zone was replaced by a parent zone."""
    zones_dropped: int
    """Responses whose home zone was left out (no parent with enough responses)."""

    def as_dict(self) -> dict[str, object]:
        return {"files": [str(f) for f in self.files], "rows": self.rows, "columns": self.columns,
                "zones_coarsened": self.zones_coarsened, "zones_dropped": self.zones_dropped}


def coarsen_zones(codes: Sequence[str | None], parents: Mapping[str, str | None], threshold: int
                  ) -> list[str | None]:
    """Replace every zone code held by fewer than ``threshold`` of ``codes`` by its parent, repeatedly,
    until each code left is held by at least ``threshold``; a small zone without a parent becomes None.

    >>> parents = {"a1": "a", "a2": "a", "a3": "a", "a": None}
    >>> coarsen_zones(["a1"] * 5 + ["a2"] * 3 + ["a3"] * 2 + [None], parents, 5)
    ['a1', 'a1', 'a1', 'a1', 'a1', 'a', 'a', 'a', 'a', 'a', None]
    >>> coarsen_zones(["a1"] * 5 + ["a2"] * 2, parents, 5)  # the parent would hold only a2's two: dropped
    ['a1', 'a1', 'a1', 'a1', 'a1', None, None]
    """
    current = list(codes)
    for step in range(_MAX_LEVELS + 1):
        counts = Counter(c for c in current if c)
        small = {c for c, n in counts.items() if n < threshold}
        if not small:
            break
        current = [(None if step == _MAX_LEVELS else parents.get(c)) if c in small else c for c in current]
    return current


def export_responses(ctx: Context, code: str, output: str | Path, *, include_text: bool = False,
                     include_points: bool = False) -> SurveyExport:
    """Write the anonymised responses of survey ``code`` and their codebook.

    ``output`` ending in ``.csv``: ``<name>.csv`` and ``<name>-kodebok.csv`` (UTF-8 with BOM, ``;`` between
    columns, decimal comma: what Excel in Norway opens, and R's ``read.csv2``); ending in ``.xlsx``: one
    workbook with the sheets ``svar`` and ``kodebok``. Files are written to temporary names and renamed,
    so an error leaves nothing half-written. See the module text for the columns.
    """
    out = Path(output)
    if out.suffix.lower() not in FORMATS:
        raise InputError(_("{file}: forventet en fil som slutter på .csv eller .xlsx", file=out.name))
    if not out.parent.is_dir():
        raise InputError(_("{file}: mappen {folder} finnes ikke", file=out.name, folder=str(out.parent)))
    with ctx.store.read() as conn:
        row = survey_row(conn, code)
        _require_export_rights(ctx, code, row["area"])
        sid = int(row["id"])
        versions = [version_questionnaire(conn, sid, int(v["version"])) for v in repo.list_versions(conn, sid)]
        responses = repo.list_responses(conn, sid)
        zones = zone_repo.list_zones(conn)
    threshold = int(ctx.settings.suppression_threshold)
    parents = {z.code: z.parent_code for z in zones}
    levels = {z.code: str(z.level) for z in zones}
    shown = coarsen_zones([r["zone"] for r in responses], parents, threshold)
    moved = sum(1 for r, z in zip(responses, shown, strict=True) if r["zone"] and z and z != r["zone"])
    dropped = sum(1 for r, z in zip(responses, shown, strict=True) if r["zone"] and not z)
    columns = question_columns(versions, include_text=include_text, include_points=include_points)
    data = _frame(responses, shown, levels, columns)
    notes = _notes(threshold, moved, dropped, bool(row["synthetic"]))
    book = codebook(versions, columns, data.columns, notes, threshold=threshold, moved=moved, dropped=dropped,
                    include_text=include_text, include_points=include_points, point_decimals=POINT_DECIMALS)
    files = write_files(out, data, book)
    with ctx.store.transaction() as conn:
        survey_audit(conn, ctx, "export", code, {
            "file": out.name, "format": out.suffix.lower().lstrip("."), "rows": len(data),
            "with_text": include_text, "with_points": include_points, "zones_coarsened": moved,
            "zones_dropped": dropped})
    return SurveyExport(files=files, rows=len(data), columns=len(data.columns), zones_coarsened=moved,
                        zones_dropped=dropped)


def _require_export_rights(ctx: Context, code: str, area: str | None) -> None:
    """Admin and analyst; a coordinator only for a survey of one of their own areas (as for changes)."""
    if ctx.role in ROLES_FOR_ALL_AREAS or (ctx.role == "coordinator" and area and area in ctx.areas):
        return
    raise PermissionDenied(_("Rollen «{role}» ({actor}) kan ikke eksportere svarene i undersøkelsen {code}",
                             role=ctx.role, actor=ctx.actor, code=code))


def question_columns(versions: Sequence[Questionnaire], *, include_text: bool, include_points: bool
                     ) -> list[Column]:
    """The answer columns, in the order of the newest version (which holds every earlier question and choice),
    each with the version that added it. Text and point questions that are left out get no column."""
    added_q: dict[str, int] = {}
    added_c: dict[tuple[str, str], int] = {}
    for q in versions:
        for x in q.questions():
            added_q.setdefault(x.id, q.version)
            for c in x.choice_codes:
                added_c.setdefault((x.id, c), q.version)
    out: list[Column] = []
    for section in versions[-1].sections:
        for x in section.questions:
            added = added_q[x.id]
            if x.type == "multiple":
                out += [Column(f"{x.id}.{c.code}", x, section.id, max(added, added_c[(x.id, c.code)]), c.code)
                        for c in x.choices]
            elif x.type == "point":
                if include_points:
                    out += [Column(f"{x.id}.{part}", x, section.id, added, part=part) for part in ("lon", "lat")]
            elif x.type != "text" or include_text:
                out.append(Column(x.id, x, section.id, added))
    return out


def _frame(responses: Sequence[Mapping[str, Any]], shown: Sequence[str | None], levels: Mapping[str, str],
           columns: Sequence[Column]) -> pd.DataFrame:
    order = list(range(len(responses)))
    secrets.SystemRandom().shuffle(order)  # the stored order is the order of submission
    names = [c.name for c in columns]
    fixed = [f"_{f}" if f in names else f for f in FIXED]  # a question may be called «gender»: it keeps its id
    records = []
    for number, i in enumerate(order, start=1):
        r = responses[i]
        answers = json.loads(r["answers"])
        zone = shown[i]
        records.append([number, int(r["version"]), r["language"], _local_date(r["submitted_at"]), r["source"],
                        zone, levels.get(zone) if zone else None, r["age_band"] or None, r["gender"] or None,
                        r["resident_group"] or None, *[_cell(c, answers, int(r["version"])) for c in columns]])
    frame = pd.DataFrame(records, columns=[*fixed, *names], dtype=object)
    for name, column in zip(names, columns, strict=True):
        frame[name] = _typed(frame[name], column.question)
    for name in fixed[:2]:
        frame[name] = frame[name].astype("Int64")
    return frame


def _cell(column: Column, answers: Mapping[str, Any], version: int) -> object:
    value = answers.get(column.question.id)
    if value is None:
        return None
    kind = column.question.type
    if kind == "multiple":
        return None if version < column.added_in else int(column.choice in value)
    if kind == "yesno":
        return 1 if value == "yes" else 0
    if kind == "point":
        return round(float(value[column.part]), POINT_DECIMALS)
    return value


def _typed(values: pd.Series, question: Question) -> pd.Series:
    kind = question.type
    if kind in ("scale", "likert", "yesno", "multiple") or (kind == "number" and question.integer):
        return values.astype("Int64")
    if kind in ("number", "point"):
        return values.astype(float)
    return values.astype(object)


try:
    _OSLO: dt.tzinfo = ZoneInfo("Europe/Oslo")
except ZoneInfoNotFoundError:  # no time zone data on this machine: the date in UTC
    _OSLO = dt.UTC


def _local_date(t: dt.datetime | None) -> str | None:
    """The date (Norwegian time) of a stored time; the time of day is never exported."""
    if t is None:
        return None
    if t.tzinfo is None:  # SQLite returns the stored UTC time without its zone
        t = t.replace(tzinfo=dt.UTC)
    return t.astimezone(_OSLO).date().isoformat()


def _notes(threshold: int, moved: int, dropped: int, synthetic: bool) -> list[str]:
    notes = [_("Anonymisert eksport fra nabolag: én rad per svar, i tilfeldig rekkefølge. Invitasjonskoder, "
               "tokener, svar-id, klokkeslett og IP-adresser er ikke med."),
             _("Soner med færre enn {threshold} svar har fått koden til overordnet sone ({moved} svar) eller "
               "står tomme ({dropped} svar).", threshold=threshold, moved=moved, dropped=dropped)]
    if synthetic:
        from nabolag.services.export import SYNTHETIC_NOTE

        notes.append(SYNTHETIC_NOTE)
    return notes
