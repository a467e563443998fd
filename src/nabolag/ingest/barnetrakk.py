"""Barnetråkk-style files: contributions as GeoJSON or GeoPackage with the object types of the national
aggregated Barnetråkk data — ``Barneveg`` (routes), ``PositivOpplevelse``, ``NegativOpplevelse``,
``Aktivitet`` — and back.

The attribute names of the national SOSI product specification could not be checked here, so the
attributes are plain Norwegian names (docs/mapping.md has the mapping): ``objtype``, ``transportmiddel``
and ``formaal`` (Barneveg), ``negativtype`` (NegativOpplevelse: ``utrygt`` or ``trafikkfare``),
``klassetrinn`` (the grade group, e.g. ``5-7``), ``trinn``, ``kjonn``, ``kommentar``, ``kartlegging``.
A GeoPackage has one layer per object type in EPSG:25833 (EUREF89 UTM 33); GeoJSON is one
FeatureCollection in EPSG:4326 (RFC 7946) with ``objtype`` on every feature.
"""

from __future__ import annotations

from typing import Any

from nabolag.domain.problems import Problem
from nabolag.i18n import _

OBJECT_TYPES = ("Barneveg", "PositivOpplevelse", "NegativOpplevelse", "Aktivitet")
MODES = {"walk": "gange", "bike": "sykkel", "bus": "buss", "tram": "trikk", "metro": "t-bane", "train": "tog",
         "car": "bil", "other": "annet"}
PURPOSES = {"school": "skole", "leisure": "fritid", "other": "annet"}
GENDERS = {"female": "jente", "male": "gutt", "other": "annet"}
NEGATIVE = {"avoid": "utrygt", "traffic": "trafikkfare"}
ATTRIBUTES = ("objtype", "kartlegging", "klassetrinn", "transportmiddel", "formaal", "negativtype", "trinn", "kjonn",
              "kommentar")


def object_type(kind: str, category: str | None) -> str:
    if kind == "route":
        return "Barneveg"
    return {"good": "PositivOpplevelse", "activity": "Aktivitet"}.get(category or "", "NegativOpplevelse")


def to_properties(row: dict[str, Any], include_comments: bool) -> dict[str, Any]:
    """The attributes of one stored contribution (a row of ``store.mapping.list_contributions``)."""
    kind, category = row["kind"], row["category"]
    return {"objtype": object_type(kind, category), "kartlegging": row["campaign"], "klassetrinn": row["grade_group"],
            "transportmiddel": MODES.get(row["mode"] or "") if kind == "route" else None,
            "formaal": PURPOSES.get(row["purpose"] or "") if kind == "route" else None,
            "negativtype": NEGATIVE.get(category or ""), "trinn": row["grade"],
            "kjonn": GENDERS.get(row["gender"] or ""), "kommentar": row["comment"] if include_comments else None}


def _back(table: dict[str, str], value: object) -> str | None:
    found = [k for k, v in table.items() if v == value]
    return found[0] if found else None


def from_properties(props: dict[str, Any], geometry: dict[str, Any] | None, file: str, row: int
                    ) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A contribution's JSON (as :func:`nabolag.domain.mapping_parse.parse_contribution` takes it) from one
    feature, or problems naming the feature number and attribute."""
    problems: list[Problem] = []
    objtype = props.get("objtype")
    if objtype not in OBJECT_TYPES:
        return None, [Problem(file, _("ukjent objekttype; forventet en av {types}", types=", ".join(OBJECT_TYPES)),
                              row=row, field="objtype", found=str(objtype))]
    out: dict[str, Any] = {"geometry": geometry}
    if objtype == "Barneveg":
        mode = _back(MODES, props.get("transportmiddel"))
        if mode is None:
            problems.append(Problem(file, _("ukjent transportmiddel; forventet en av {values}",
                                            values=", ".join(MODES.values())), row=row, field="transportmiddel",
                                    found=str(props.get("transportmiddel"))))
        out |= {"kind": "route", "mode": mode, "purpose": _back(PURPOSES, props.get("formaal")) or "other"}
    elif objtype == "NegativOpplevelse":
        out |= {"kind": "place", "category": _back(NEGATIVE, props.get("negativtype")) or "avoid"}
    else:
        out |= {"kind": "place", "category": "good" if objtype == "PositivOpplevelse" else "activity"}
    grade = props.get("trinn")
    if isinstance(grade, float) and grade.is_integer():
        grade = int(grade)
    if grade not in (None, "") and grade == grade:  # NaN: no grade
        out["grade"] = int(grade) if str(grade).isdigit() else grade
    gender = props.get("kjonn")
    if gender not in (None, ""):
        out["gender"] = _back(GENDERS, gender) or gender
    if props.get("kommentar"):
        out["comment"] = str(props["kommentar"])
    return (None, problems) if problems else (out, [])
