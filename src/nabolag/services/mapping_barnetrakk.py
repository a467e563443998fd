"""Export and import of contributions as Barnetråkk-style GeoJSON or GeoPackage (issue 7, stage 3; formats in
:mod:`nabolag.ingest.barnetrakk`). Single contributions: for staff with rights to the campaign only, never
a public download. Import validates every feature as a child's contribution would be (naming the feature
and attribute), then stores all in one transaction or nothing; a file imported twice is stored once (each
feature's token is derived from the file's SHA-256 and the feature's place in it)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import shapely

from nabolag.domain.mapping_geometry import outside
from nabolag.domain.mapping_parse import parse_contribution
from nabolag.domain.problems import Problem
from nabolag.errors import InputError, PermissionDenied
from nabolag.i18n import _
from nabolag.ingest.barnetrakk import ATTRIBUTES, OBJECT_TYPES, from_properties, to_properties
from nabolag.services.context import Context
from nabolag.services.mapping_base import (
    cached_region,
    campaign_audit,
    campaign_row,
    may_see_contributions,
    require_campaign_rights,
)
from nabolag.store import mapping as repo

NATIONAL_CRS = "EPSG:25833"


@dataclass(frozen=True)
class Exchange:
    file: str
    features: dict[str, int]


def export_contributions(ctx: Context, campaigns: list[str], output: str | Path,
                         include_comments: bool = False) -> Exchange:
    """Write ``.geojson`` (EPSG:4326, one collection) or ``.gpkg`` (EPSG:25833, one layer per object type).
    Comments only with ``include_comments`` (children may write names). Written to a temporary file and
    renamed, so an error leaves no half-written file."""
    out = Path(output)
    if out.suffix.lower() not in (".geojson", ".json", ".gpkg"):
        raise InputError(_("Forventet en fil som slutter på .geojson eller .gpkg: {file}", file=out.name))
    with ctx.store.read() as conn:
        rows_all = []
        for code in campaigns:
            row = campaign_row(conn, code)
            if not may_see_contributions(ctx, row["area"]):
                raise PermissionDenied(_("Bare ansatte med rett til området kan eksportere enkeltbidrag"))
            rows_all += repo.list_contributions(conn, [int(row["id"])])
    records = [to_properties(r, include_comments) | {"geometry": shapely.from_wkb(r["geometry"])} for r in rows_all]
    frame = gpd.GeoDataFrame(records, columns=[*ATTRIBUTES, "geometry"], geometry="geometry", crs="EPSG:4326")
    counts = {t: int((frame["objtype"] == t).sum()) for t in OBJECT_TYPES}
    fd, tmp = tempfile.mkstemp(suffix=out.suffix, dir=out.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        if out.suffix.lower() == ".gpkg":
            for t in OBJECT_TYPES:
                part = frame[frame["objtype"] == t].to_crs(NATIONAL_CRS)
                pyogrio.write_dataframe(part, tmp, layer=t, driver="GPKG",
                                        geometry_type="LineString" if t == "Barneveg" else "Point")
        else:
            Path(tmp).write_text(frame.to_json(drop_id=True, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    with ctx.store.transaction() as conn:
        for code in campaigns:
            campaign_audit(conn, ctx, "export", code, {"file": out.name, "features": counts,
                                                       "comments": include_comments})
    return Exchange(file=out.name, features=counts)


def _features(path: Path) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    if path.suffix.lower() == ".gpkg":
        layers = [name for name, _type in pyogrio.list_layers(path)]
        frames = [gpd.read_file(path, layer=layer).to_crs("EPSG:4326").assign(objtype=layer) for layer in layers
                  if layer in OBJECT_TYPES]
    else:
        frames = [gpd.read_file(path)]
        frames = [f.to_crs("EPSG:4326") if f.crs else f.set_crs("EPSG:4326") for f in frames]
    out = []
    for f in frames:
        doc = json.loads(f.to_json(drop_id=True))
        out += [(feat.get("properties") or {}, feat.get("geometry")) for feat in doc["features"]]
    return out


def import_contributions(ctx: Context, campaign: str, path: str | Path) -> Exchange:
    """Read a Barnetråkk-style file into ``campaign`` (staff with rights to it; any status)."""
    p, digest = ctx.input_file(path)
    with ctx.store.read() as conn:
        row = campaign_row(conn, campaign)
    require_campaign_rights(ctx, row["area"])
    try:
        features = _features(p)
    except (pyogrio.errors.DataSourceError, ValueError) as exc:
        raise InputError(_("{file}: kan ikke leses som GeoJSON eller GeoPackage ({reason})", file=p.name,
                           reason=str(exc)[:200])) from exc
    problems: list[Problem] = []
    rows = []
    with ctx.store.transaction() as conn:
        region = cached_region(str(row["region_sha256"]), lambda: repo.region(conn, int(row["id"])))
        for n, (props, geometry) in enumerate(features, start=1):
            data, found = from_properties(props, geometry, p.name, n)
            problems += found
            if data is None:
                continue
            parsed, bad = parse_contribution(data)
            problems += [Problem(p.name, m, row=n, field=f) for f, m in bad]
            if parsed is None:
                continue
            if outside(shapely.from_wkb(parsed.geometry), region):
                problems.append(Problem(p.name, _("ligger utenfor kommunen"), row=n, field="geometry"))
                continue
            token = hashlib.sha256(f"{digest}:{n}".encode()).hexdigest()[:64]
            rows.append({"campaign_id": int(row["id"]), "token": token, "kind": parsed.kind.value,
                         "geometry": parsed.geometry, "mode": parsed.mode and parsed.mode.value,
                         "purpose": parsed.purpose and parsed.purpose.value,
                         "category": parsed.category and parsed.category.value, "comment": parsed.comment,
                         "grade": parsed.grade, "gender": parsed.gender, "language": "nb", "submitted_at": repo.now(),
                         "source": "import"})
        if problems:
            raise InputError(_("{file}: {n} feil; ingenting er lagret", file=p.name, n=len(problems)), problems)
        stored = sum(repo.insert_contribution(conn, r) is not None for r in rows)
        counts: dict[str, int] = {}
        for props, _geometry in features:
            counts[str(props.get("objtype"))] = counts.get(str(props.get("objtype")), 0) + 1
        campaign_audit(conn, ctx, "import", campaign, {"file": p.name, "features": len(rows), "new": stored})
    return Exchange(file=p.name, features=counts)
