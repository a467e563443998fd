"""Benchmark B: import 14,000 grunnkrets-sized polygons from a GeoPackage into a fresh SQLite database.

Times ``nabolag.services.zones.import_zones`` (read with pyogrio, check CRS, repair geometry,
reproject to EPSG:4326, write in one transaction). For reference only (no target) it also times
a bare pipeline: ``pyogrio.read_dataframe`` + ``to_crs`` + ``shapely.to_wkb`` + ``sqlite3.executemany``.

    python -m bench.import_zones [--repeat N] [--profile]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

from bench._common import (
    RESULTS,
    WORK,
    Phases,
    current_rss_mib,
    fresh_sqlite,
    load_average,
    log,
    machine_info,
    machine_markdown,
    median,
    profiler_available,
    relative,
    run_worker,
    start_profiler,
    stop_profiler,
    verdict,
    write_results,
    write_worker_result,
)

NAME = "import_zones"
# 140 x 100 cells whose sides are 700-1400 m: cell areas 0.49-1.96 km², about 14,700 km² in all,
# centred on Oslo (a 40 x 50 km box only holds ~2,000 km², so the grid reaches further out).
PARAMS = {"cols": 140, "rows": 100, "min_side_m": 700, "max_side_m": 1400, "points_per_edge": 10,
          "corner_jitter_m": 140, "edge_wiggle_m": 60, "centre_x": 262000, "centre_y": 6650000,
          "crs": "EPSG:25833", "seed": 20240502}
TARGET_SECONDS = 10.0

GPKG = WORK / "grunnkretser_14k.gpkg"
GPKG_META = WORK / "grunnkretser_14k.meta.json"
REAL_DB = WORK / "zones_real.sqlite"
REF_DB = WORK / "zones_reference.sqlite"
OPTIONS = {"code_field": "grunnkretsnummer", "name_field": "grunnkretsnavn", "level": "grunnkrets"}

# Municipality numbers before 2020 (all with a leading zero) and names with æ/ø/å.
KOMMUNER = [("0301", "Oslo"), ("0219", "Bærum"), ("0220", "Asker"), ("0211", "Vestby"), ("0213", "Ski"),
            ("0214", "Ås"), ("0215", "Frogn"), ("0216", "Nesodden"), ("0217", "Oppegård"),
            ("0230", "Lørenskog"), ("0231", "Skedsmo"), ("0233", "Nittedal"), ("0235", "Ullensaker"),
            ("0626", "Lier"), ("0228", "Rælingen")]


# --- data ------------------------------------------------------------------

def generate_gpkg(path: Path = GPKG, params: dict[str, object] = PARAMS) -> dict[str, object]:
    """Write a tessellation of irregular polygons (shared, wiggly edges) to a GeoPackage. Cached."""
    import geopandas as gpd
    import numpy as np
    import shapely

    meta = {**params, "format": 1}
    if path.exists() and GPKG_META.exists():
        stored = json.loads(GPKG_META.read_text())
        if stored.get("params") == meta:
            return stored
    p = params
    nc, nr, k = int(p["cols"]), int(p["rows"]), int(p["points_per_edge"])
    rng = np.random.default_rng(int(p["seed"]))
    widths = rng.uniform(p["min_side_m"], p["max_side_m"], nc)
    heights = rng.uniform(p["min_side_m"], p["max_side_m"], nr)
    xs = np.concatenate([[0], np.cumsum(widths)])
    ys = np.concatenate([[0], np.cumsum(heights)])
    xs += float(p["centre_x"]) - xs[-1] / 2
    ys += float(p["centre_y"]) - ys[-1] / 2
    # Corner (i, j) for i in 0..nc, j in 0..nr, jittered; the outer boundary stays straight.
    cx, cy = np.meshgrid(xs, ys, indexing="ij")
    jit = float(p["corner_jitter_m"])
    cx[1:-1, :] += rng.uniform(-jit, jit, (nc - 1, nr + 1))
    cy[:, 1:-1] += rng.uniform(-jit, jit, (nc + 1, nr - 1))
    corners = np.stack([cx, cy], axis=-1)  # (nc+1, nr+1, 2)
    t = (np.arange(1, k + 1) / (k + 1))[:, None]  # (k, 1)
    bump = np.sin(np.pi * t)

    def edge_points(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """k wiggly points from a to b (same shape + (k, 2)); shared by the two cells on the edge."""
        d = b - a
        normal = np.stack([-d[..., 1], d[..., 0]], axis=-1)
        normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
        u = rng.uniform(-1, 1, a.shape[:-1] + (k, 1)) * float(p["edge_wiggle_m"]) * bump
        return a[..., None, :] + t * d[..., None, :] + u * normal[..., None, :]

    horiz = edge_points(corners[:-1, :, :], corners[1:, :, :])  # (nc, nr+1, k, 2): (i,j) -> (i+1,j)
    vert = edge_points(corners[:, :-1, :], corners[:, 1:, :])  # (nc+1, nr, k, 2): (i,j) -> (i,j+1)
    # Border edges straight, like a coastline-free study area.
    for sl in (np.s_[:, 0], np.s_[:, -1]):
        a, b = corners[:-1][sl], corners[1:][sl]
        horiz[sl] = a[:, None, :] + t * (b - a)[:, None, :]
    for sl in (np.s_[0, :], np.s_[-1, :]):
        a, b = corners[:, :-1][sl], corners[:, 1:][sl]
        vert[sl] = a[:, None, :] + t * (b - a)[:, None, :]
    ring = np.concatenate([
        corners[:-1, :-1, None, :], horiz[:, :-1],  # bottom, left to right
        corners[1:, :-1, None, :], vert[1:, :],  # right, upwards
        corners[1:, 1:, None, :], horiz[:, 1:][:, :, ::-1],  # top, right to left
        corners[:-1, 1:, None, :], vert[:-1, :][:, :, ::-1],  # left, downwards
        corners[:-1, :-1, None, :],  # close
    ], axis=2)  # (nc, nr, 4k+5, 2)
    ring = ring.transpose(1, 0, 2, 3).reshape(nc * nr, 4 * k + 5, 2)  # row-major: west to east, south to north
    geoms = shapely.polygons(ring)
    n = len(geoms)
    per = 1000
    codes, names, kommuner = [], [], []
    for idx in range(n):
        knr, kname = KOMMUNER[idx // per]
        d, kr = divmod(idx % per, 20)
        codes.append(f"{knr}{d + 1:02d}{kr + 1:02d}")
        names.append(f"{kname} {d + 1:02d}{kr + 1:02d}")
        kommuner.append(knr)
    gdf = gpd.GeoDataFrame({"grunnkretsnummer": codes, "grunnkretsnavn": names, "kommunenummer": kommuner},
                           geometry=geoms, crs=str(p["crs"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    gdf.to_file(path, layer="grunnkretser", driver="GPKG", engine="pyogrio")
    areas = shapely.area(geoms) / 1e6
    info = {"params": meta, "features": n, "invalid": int((~shapely.is_valid(geoms)).sum()),
            "coords_per_polygon": int(shapely.get_num_coordinates(geoms[0])),
            "area_km2": {"min": round(float(areas.min()), 3), "median": round(float(np.median(areas)), 3),
                         "max": round(float(areas.max()), 3), "total": round(float(areas.sum()))},
            "bounds": [round(float(v)) for v in shapely.total_bounds(geoms)],
            "bytes": path.stat().st_size}
    GPKG_META.write_text(json.dumps(info), encoding="utf-8")
    return info


# --- workers -----------------------------------------------------------------

REAL_PHASES = {0.0: "read + validate (read_zones)", 0.5: "write (one transaction)", 1.0: "end"}


def worker_real(gpkg: Path, db: Path, profile: str | None) -> dict[str, object]:
    from nabolag.ingest.zones import ZoneOptions
    from nabolag.services import Context
    from nabolag.services.zones import import_zones

    fresh_sqlite(db)
    ctx = Context.open(f"sqlite:///{db}")
    rss_before = current_rss_mib()
    phases = Phases()
    ctx.progress = lambda label, fraction: phases.mark(REAL_PHASES.get(fraction, label))
    profiler = start_profiler(profile)
    start = time.perf_counter()
    phases.mark("checks (size, SHA-256)")
    report = import_zones(ctx, gpkg, ZoneOptions(**OPTIONS))
    seconds = time.perf_counter() - start
    stop_profiler(profiler, profile, NAME)
    durations = phases.durations(start + seconds)
    durations.pop("end", None)
    ctx.close()
    return {"seconds": round(seconds, 3), "phases": durations, "rss_before_mib": rss_before,
            "report_ok": report.ok, "report_notes": [relative(w.describe()) for w in report.warnings][:5]}


def worker_reference(gpkg: Path, db: Path) -> dict[str, object]:
    import pyogrio
    import shapely

    fresh_sqlite(db)
    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE zone (id INTEGER NOT NULL PRIMARY KEY, code VARCHAR(40) NOT NULL UNIQUE, "
                 "name VARCHAR(200) NOT NULL, level VARCHAR(20) NOT NULL, parent_code VARCHAR(40), "
                 "geometry BLOB, source_crs VARCHAR(100))")
    conn.execute("CREATE INDEX ix_zone_level ON zone (level)")
    conn.execute("CREATE INDEX ix_zone_parent_code ON zone (parent_code)")
    rss_before = current_rss_mib()
    phases = Phases()
    start = time.perf_counter()
    phases.mark("read (pyogrio.read_dataframe)")
    gdf = pyogrio.read_dataframe(gpkg)
    phases.mark("validity check (shapely.is_valid)")
    invalid = int((~shapely.is_valid(gdf.geometry.values)).sum())
    phases.mark("reproject + WKB")
    wkb = shapely.to_wkb(gdf.geometry.to_crs("EPSG:4326").values, output_dimension=2)
    phases.mark("insert (executemany, one transaction)")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO zone (code, name, level, geometry, source_crs) VALUES (?, ?, ?, ?, ?)",
                     zip(gdf["grunnkretsnummer"].tolist(), gdf["grunnkretsnavn"].tolist(),
                         ["grunnkrets"] * len(gdf), wkb.tolist(), ["EPSG:25833"] * len(gdf), strict=True))
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return {"seconds": round(seconds, 3), "phases": phases.durations(start + seconds),
            "rss_before_mib": rss_before, "invalid_seen": invalid}


# --- driver ------------------------------------------------------------------

def _check(db: Path, expected: int) -> dict[str, object]:
    import shapely

    with sqlite3.connect(db) as conn:
        total, with_geom, levels = conn.execute(
            "SELECT count(*), count(geometry), group_concat(DISTINCT level) FROM zone").fetchone()
        row = conn.execute("SELECT code, geometry, source_crs FROM zone WHERE code = '03010101'").fetchone()
    centroid = None
    if row and row[1]:
        c = shapely.from_wkb(row[1]).centroid
        centroid = [round(c.x, 4), round(c.y, 4)]
    return {"zones": total, "with_geometry": with_geom, "levels": levels, "expected": expected,
            "zone_03010101_centroid_lonlat": centroid, "source_crs": row[2] if row else None}


def run(repeat: int = 1, profile: str | None = None) -> dict[str, object]:
    expected = int(PARAMS["cols"]) * int(PARAMS["rows"])
    log(f"[{NAME}] generating {expected:,} polygons -> {GPKG}")
    data = generate_gpkg()
    machine = machine_info()  # before the runs: the commit and src/ state that were measured
    real_runs, ref_runs = [], []
    for i in range(repeat):
        log(f"[{NAME}] run {i + 1}/{repeat}: reference (pyogrio + to_crs + sqlite3.executemany) …")
        ref_runs.append(run_worker(f"bench.{NAME}", "reference", ["--gpkg", str(GPKG), "--db", str(REF_DB)]))
        log(f"[{NAME}]   reference {ref_runs[-1]['seconds']:.2f} s, peak RSS {ref_runs[-1]['peak_rss_mib']} MiB")
        log(f"[{NAME}] run {i + 1}/{repeat}: nabolag import_zones …")
        real_runs.append(run_worker(f"bench.{NAME}", "real", ["--gpkg", str(GPKG), "--db", str(REAL_DB)]))
        log(f"[{NAME}]   real {real_runs[-1]['seconds']:.2f} s, peak RSS {real_runs[-1]['peak_rss_mib']} MiB")
    real_s = median([float(r["seconds"]) for r in real_runs])
    ref_s = median([float(r["seconds"]) for r in ref_runs])
    checks = _check(REAL_DB, expected)
    count_ok = checks["zones"] == expected and checks["with_geometry"] == expected
    result: dict[str, object] = {
        "name": NAME,
        "machine": {**machine, "load_average_at_end": load_average()},
        "params": {**PARAMS, "repeat": repeat, "options": OPTIONS},
        "data": data,
        "real": {"seconds_median": round(real_s, 3), "runs": real_runs},
        "reference": {"seconds_median": round(ref_s, 3), "runs": ref_runs},
        "ratio_to_reference": round(real_s / ref_s, 2),
        "checks": checks,
        "targets": {
            "real_under_seconds": {"target": TARGET_SECONDS, "measured": round(real_s, 3),
                                   "pass": real_s < TARGET_SECONDS},
            "zones_after_import": {"target": expected, "measured": checks["zones"], "pass": count_ok},
        },
    }
    if profile:
        profile = profiler_available(profile)
        log(f"[{NAME}] profiling the real import with {profile} …")
        run_worker(f"bench.{NAME}", "real", ["--gpkg", str(GPKG), "--db", str(REAL_DB), "--profile", profile])
        result["profile_output"] = f"bench/results/{NAME}.profile.txt"
    result["pass"] = all(t["pass"] for t in result["targets"].values())  # type: ignore[union-attr]
    write_results(NAME, result, markdown(result))
    log(f"[{NAME}] real {real_s:.2f} s (reference {ref_s:.2f} s), {checks['zones']:,} zones -> "
        f"{verdict(bool(result['pass']))}; results in {RESULTS / (NAME + '.md')}")
    return result


def markdown(r: dict[str, object]) -> str:
    p, d, t, c = r["params"], r["data"], r["targets"], r["checks"]
    real, ref = r["real"], r["reference"]
    rl, fl = real["runs"][-1], ref["runs"][-1]  # type: ignore[index]
    lines = [
        f"# Benchmark: {NAME}", "",
        (f"{d['features']:,} synthetic grunnkrets polygons ({p['cols']}×{p['rows']} jittered grid with shared, "
        f"wiggly edges; {d['coords_per_polygon']} coordinates each; area {d['area_km2']['min']}–"
        f"{d['area_km2']['max']} km², median {d['area_km2']['median']} km²; {d['invalid']} invalid) in "
        f"{p['crs']} around Oslo, bounds {d['bounds']}; GeoPackage {d['bytes'] / 1e6:.1f} MB with fields "
        "grunnkretsnummer (8-digit text), grunnkretsnavn, kommunenummer. Imported into a fresh SQLite "
        f"database with `ZoneOptions({', '.join(f'{k}={v!r}' for k, v in p['options'].items())})`. "
        f"Median of {p['repeat']} run(s); each side in its own process."), "",
        "| | seconds | peak RSS (MiB) | RSS before timing (MiB) |", "|---|---:|---:|---:|",
        f"| nabolag `import_zones` | {real['seconds_median']:.2f} | {rl['peak_rss_mib']} | {rl['rss_before_mib']} |",
        (f"| reference: pyogrio + `to_crs` + `sqlite3.executemany` (no target) | {ref['seconds_median']:.2f} | "
        f"{fl['peak_rss_mib']} | {fl['rss_before_mib']} |"),
        "", f"Ratio real / reference: {r['ratio_to_reference']:.2f}", "",
        "## Targets", "", "| target | measured | result |", "|---|---:|---|",
        (f"| real import < {t['real_under_seconds']['target']:.0f} s | {t['real_under_seconds']['measured']:.2f} s | "
        f"{verdict(t['real_under_seconds']['pass'])} |"),
        (f"| zones after import = {t['zones_after_import']['target']:,} (all with geometry) | "
        f"{t['zones_after_import']['measured']:,} | {verdict(t['zones_after_import']['pass'])} |"),
        "", f"Overall: **{verdict(bool(r['pass']))}**", "",
        *([f"Profile of one extra real run: `{r['profile_output']}`", ""] if r.get("profile_output") else []),
        "## Where the time goes (last run)", "", "nabolag (phases from its progress callback):", "",
        "| step | seconds |", "|---|---:|",
        *[f"| {k} | {v:.2f} |" for k, v in rl["phases"].items()], "",
        "reference:", "", "| step | seconds |", "|---|---:|",
        *[f"| {k} | {v:.2f} |" for k, v in fl["phases"].items()], "",
        "## Checks", "",
        f"- zones in DB: {c['zones']:,}, with geometry: {c['with_geometry']:,}, levels: {c['levels']}",
        (f"- zone `03010101` centroid (lon, lat after reprojection): {c['zone_03010101_centroid_lonlat']}, "
        f"source_crs {c['source_crs']}"),
        f"- import report notes: {rl['report_notes']}", "",
    ]
    if len(real["runs"]) > 1:  # type: ignore[arg-type]
        lines += [(f"All runs (s): real {[x['seconds'] for x in real['runs']]}, "
                  f"reference {[x['seconds'] for x in ref['runs']]}"), ""]
    lines.append(machine_markdown(r["machine"]))  # type: ignore[arg-type]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog=f"python -m bench.{NAME}", description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=1, help="runs per side; the median is reported")
    ap.add_argument("--profile", nargs="?", const="pyinstrument", choices=["pyinstrument", "cprofile"],
                    help="also profile one extra real run (pyinstrument if installed, else cProfile; summary in "
                         "bench/results/<name>.profile.txt, full output in bench/work)")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    ap.add_argument("--worker", choices=["real", "reference"], help=argparse.SUPPRESS)
    ap.add_argument("--gpkg", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker == "real":
        write_worker_result(args.out, worker_real(args.gpkg, args.db, args.profile))
        return 0
    if args.worker == "reference":
        write_worker_result(args.out, worker_reference(args.gpkg, args.db))
        return 0
    result = run(repeat=args.repeat, profile=args.profile)
    return 1 if args.strict and not result["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
