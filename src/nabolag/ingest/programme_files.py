"""Read programme files: a CSV of one kind, an Excel workbook with a sheet per kind, or a GeoJSON
FeatureCollection of measures. Every row becomes a domain object; every bad cell an error with its place.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import shape

from nabolag.domain.problems import Problem, Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.programme import COLUMNS, KINDS, READERS
from nabolag.ingest.programme_cells import Cells
from nabolag.ingest.tables import EXCEL_SUFFIXES, read_table

REQUIRED = {"goals": ("code", "title", "dimension"), "measures": ("code", "title", "kind"),
            "actors": ("code", "name", "kind"), "events": ("code", "kind", "title", "date"),
            "inputs": ("text", "received")}
GEOJSON_SUFFIXES = (".geojson", ".json")

Rows = dict[str, list[tuple[int, object]]]
"""Objects read per kind, each with its row (data rows start at 2; GeoJSON features at 1)."""


def where(path: Path, kind: str, workbook: bool) -> str:
    """The name problems carry: the file, and the sheet in a workbook."""
    return f"{path.name} [{kind}]" if workbook else path.name


def read_programme_file(path: Path, area_code: str, report: Report, kind: str | None = None) -> Rows:
    """Read ``path``; ``kind`` is needed for CSV, picks one sheet of a workbook, and may be left out for
    GeoJSON (always measures)."""
    if kind is not None and kind not in KINDS:
        raise InputError(_("Ukjent tabell «{kind}»; forventet {valid}", kind=kind, valid=", ".join(KINDS)))
    suffix = path.suffix.lower()
    if suffix in GEOJSON_SUFFIXES:
        if kind not in (None, "measures"):
            raise InputError(_("{file}: GeoJSON kan bare inneholde tiltak", file=path.name))
        return {"measures": list(_features(path, area_code, report))}
    if suffix in EXCEL_SUFFIXES:
        return _workbook(path, area_code, report, kind)
    if kind is None:
        raise InputError(_("{file}: si hvilken tabell filen er ({valid})", file=path.name, valid=", ".join(KINDS)))
    return {kind: _rows(path, area_code, report, kind, None, path.name)}


def _workbook(path: Path, area_code: str, report: Report, kind: str | None) -> Rows:
    try:
        book = openpyxl.load_workbook(path, read_only=True)
        sheets = book.sheetnames
        book.close()
    except Exception as exc:  # openpyxl raises several kinds for a broken file
        raise InputError(_("{file}: ikke en gyldig Excel-fil (.xlsx)", file=path.name),
                         [Problem(path.name, _("ødelagt Excel-fil"), expected=".xlsx", found=str(exc))]) from exc
    wanted = [kind] if kind else [k for k in KINDS if k in sheets]
    if not wanted:
        raise InputError(_("{file}: ingen ark med navn {valid}", file=path.name, valid=", ".join(KINDS)))
    out: Rows = {}
    for k in wanted:
        sheet = k if k in sheets else sheets[0]
        out[k] = _rows(path, area_code, report, k, sheet, where(path, k, kind is None))
    return out


def _is_empty(path: Path, sheet: str | None) -> bool:
    """Only a header (an exported table with no rows): nothing to import, and no error."""
    if sheet is not None:
        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            rows = wb[sheet].iter_rows(min_row=2, values_only=True)
            return not any(any(v not in (None, "") for v in row) for row in rows)
        finally:
            wb.close()
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip()) <= 1


def _rows(path: Path, area_code: str, report: Report, kind: str, sheet: str | None, name: str) -> list:
    sub = Report(name)
    if _is_empty(path, sheet):
        sub.info(_("tabellen har ingen rader"))
        report.problems += sub.problems
        return []
    frame = read_table(path, sub, sheet)
    missing = [c for c in REQUIRED[kind] if c not in frame.columns]
    if missing:
        raise InputError(_("{file}: mangler kolonnene {cols}", file=name, cols=", ".join(missing)),
                         [Problem(name, _("mangler kolonne"), row=1, field=c, expected=", ".join(COLUMNS[kind]))
                          for c in missing])
    extra = [c for c in frame.columns if c not in COLUMNS[kind]]
    if extra:
        sub.warning(_("kolonner som ikke brukes: {cols}", cols=", ".join(extra)), row=1)
    out = []
    for i, values in enumerate(frame.to_dict("records")):
        cells = Cells(values, sub, i + 2)
        obj = READERS[kind](cells, area_code)  # type: ignore[operator]
        if not cells.errors:
            out.append((i + 2, obj))
    report.problems += sub.problems
    report.rows += len(frame)
    return out


def _transformer(data: dict[str, object], name: str) -> Transformer | None:
    crs = data.get("crs")
    if not isinstance(crs, dict):
        return None
    label = str((crs.get("properties") or {}).get("name", ""))  # type: ignore[union-attr]
    try:
        source = CRS.from_user_input(label)
    except CRSError:
        raise InputError(_("{file}: ukjent koordinatsystem «{crs}»", file=name, crs=label)) from None
    if source.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return None
    return Transformer.from_crs(source, "EPSG:4326", always_xy=True)


def _features(path: Path, area_code: str, report: Report) -> Iterator[tuple[int, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(_("{file}: ikke gyldig GeoJSON", file=path.name),
                         [Problem(path.name, _("kan ikke lese JSON"), found=str(exc))]) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or \
            not isinstance(data.get("features"), list):
        raise InputError(_("{file}: forventet en GeoJSON FeatureCollection", file=path.name))
    to_wgs84 = _transformer(data, path.name)
    report.rows = len(data["features"])
    for n, feature in enumerate(data["features"], start=1):
        props = dict(feature.get("properties") or {}) if isinstance(feature, dict) else {}
        cells = Cells(props, report, n)
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if geometry:
            try:
                geom = shape(geometry)
                if to_wgs84 is not None:
                    geom = shapely.transform(geom, lambda xy: list(zip(*to_wgs84.transform(xy[:, 0], xy[:, 1]),
                                                                       strict=True)))
                props["geometry"] = shapely.to_wkb(geom)
            except (shapely.errors.GEOSException, ValueError, TypeError, AttributeError) as exc:
                cells.error("geometry", _("kan ikke lese geometrien"), expected="GeoJSON", found=str(exc)[:80])
        obj = READERS["measures"](cells, area_code)  # type: ignore[operator]
        if not cells.errors:
            yield n, obj
