"""Read indicator definitions from YAML or CSV/Excel."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import yaml

from nabolag.domain.indicators import Direction, Indicator, Kind, Method
from nabolag.domain.problems import Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.tables import read_table

FIELDS = ("code", "name_nb", "name_en", "definition", "unit", "direction", "numerator", "denominator",
          "kind", "source", "method", "disaggregations", "suppression_threshold", "synthetic")
TRUE = ("true", "1", "yes", "ja", "sant")
FALSE = ("false", "0", "no", "nei", "usant", "")
ENUMS: dict[str, type[StrEnum]] = {"direction": Direction, "kind": Kind, "method": Method}


def read_indicators(path: Path) -> tuple[list[Indicator], Report]:
    report = Report(str(path))
    if path.suffix.lower() in (".yaml", ".yml"):
        records, first = _yaml_records(path), 1
    else:
        frame = read_table(path, report)
        records, first = frame.to_dict("records"), 2
    report.rows = len(records)
    out: list[Indicator] = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(records):
        row = i + first
        if not isinstance(rec, dict):
            report.error(_("forventet en indikator med felt"), row=row, found=type(rec).__name__)
            continue
        ind = _one(rec, row, report, seen)
        if ind is not None:
            out.append(ind)
    report.raise_if_errors()
    return out, report


def _yaml_records(path: Path) -> list[object]:
    try:
        # BaseLoader reads every scalar as text, so a code like 0301 stays "0301" (not octal 193).
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(_("{file}: ugyldig YAML: {error}", file=str(path), error=str(exc))) from exc
    if isinstance(data, dict) and "indicators" in data:
        data = data["indicators"]
    if not isinstance(data, list) or not data:
        raise InputError(_("{file}: forventet en liste «indicators:» med minst én indikator", file=str(path)))
    return data


def _one(rec: dict[str, object], row: int, report: Report, seen: dict[str, int]) -> Indicator | None:
    unknown = sorted(set(map(str, rec)) - set(FIELDS))
    if unknown:
        report.error(_("ukjente felt"), row=row, field=", ".join(unknown), expected=", ".join(FIELDS))
        return None
    values = {k: ("" if v is None else v) for k, v in rec.items()}
    code = str(values.get("code", "")).strip()
    if not code:
        report.error(_("mangler kode"), row=row, field="code", expected=_("en kode"), found="")
        return None
    if code in seen:
        report.error(_("koden er brukt før i rad {other}", other=seen[code]), row=row, field="code", found=code)
        return None
    seen[code] = row
    name = str(values.get("name_nb", "")).strip()
    if not name:
        report.error(_("mangler navn på bokmål"), row=row, field="name_nb", found="")
        return None
    kwargs: dict[str, object] = {}
    for key, enum in ENUMS.items():
        text = str(values.get(key, "") or "").strip()
        if not text:
            continue
        try:
            kwargs[key] = enum(text)
        except ValueError:
            report.error(_("ukjent verdi"), row=row, field=key, expected=", ".join(e.value for e in enum),
                         found=text)
            return None
    threshold = values.get("suppression_threshold", "")
    if threshold not in ("", None):
        try:
            kwargs["suppression_threshold"] = int(str(threshold).strip())
        except ValueError:
            kwargs["suppression_threshold"] = -1
        if int(kwargs["suppression_threshold"]) < 0:  # type: ignore[call-overload]
            report.error(_("ikke et heltall"), row=row, field="suppression_threshold",
                         expected=_("et heltall >= 0"), found=str(threshold))
            return None
    dis = values.get("disaggregations", "")
    disaggregations = tuple(dis) if isinstance(dis, list) else tuple(
        s.strip() for s in str(dis).replace(";", ",").split(",") if s.strip())
    flag = str(values.get("synthetic", "")).strip().lower()
    if flag not in TRUE + FALSE:
        report.error(_("ukjent verdi"), row=row, field="synthetic", expected="true, false, ja, nei",
                     found=str(values.get("synthetic")))
        return None
    synthetic = flag in TRUE
    return Indicator(code=code, name_nb=name, name_en=str(values.get("name_en", "")).strip(),
                     definition=str(values.get("definition", "")).strip(), unit=str(values.get("unit", "")),
                     numerator=str(values.get("numerator", "")), denominator=str(values.get("denominator", "")),
                     source=str(values.get("source", "")), disaggregations=disaggregations,
                     synthetic=synthetic, **kwargs)  # type: ignore[arg-type]
