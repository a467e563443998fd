"""Benchmark A: import 1,000,000 tidy observations into a fresh SQLite database.

Times ``nabolag.services.observations.import_observations`` (read, validate every row, write in
one transaction) against a bare baseline: ``pandas.read_csv`` of the same file, codes mapped to
ids with a dict, and ``sqlite3.executemany`` into an equivalent table (same columns, constraints,
foreign keys, partial unique indexes and pragmas) inside one transaction in WAL mode.

Each side runs in its own subprocess so peak RSS is measured separately.

    python -m bench.import_observations [--repeat N] [--profile]
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

NAME = "import_observations"
PARAMS = {"zones": 5000, "indicators": 20, "years": 10, "first_year": 2014, "seed": 20240501}
TARGET_SECONDS = 20.0
TARGET_RATIO = 2.0

CSV = WORK / "observations_1m.csv"
CSV_META = WORK / "observations_1m.meta.json"
REAL_DB = WORK / "observations_real.sqlite"
BASE_DB = WORK / "observations_baseline.sqlite"


# --- data ------------------------------------------------------------------

def zone_codes(n: int) -> list[str]:
    """8-digit grunnkrets codes in Oslo (0301), with the leading zero: 03010101, 03010102 …"""
    if n > 99 * 99:
        raise ValueError("at most 9801 zones in one municipality")
    return [f"0301{i // 99 + 1:02d}{i % 99 + 1:02d}" for i in range(n)]


def indicator_codes(n: int) -> list[str]:
    return [f"bench_ind_{i + 1:02d}" for i in range(n)]


def generate_csv(path: Path = CSV, params: dict[str, int] = PARAMS) -> Path:
    """Write the tidy CSV (zone, indicator, period, value), sorted by indicator, zone, period.

    Values are positive numbers with one decimal (like shares or rates). Cached in bench/work.
    """
    import numpy as np
    import pandas as pd

    meta = {**params, "format": 1}
    if path.exists() and CSV_META.exists() and json.loads(CSV_META.read_text()) == meta:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    zones, inds = zone_codes(params["zones"]), indicator_codes(params["indicators"])
    years = [str(params["first_year"] + y) for y in range(params["years"])]
    nz, ni, ny = len(zones), len(inds), len(years)
    rng = np.random.default_rng(params["seed"])
    frame = pd.DataFrame({
        "zone": np.tile(np.repeat(np.array(zones, dtype=object), ny), ni),
        "indicator": np.repeat(np.array(inds, dtype=object), nz * ny),
        "period": np.tile(np.array(years, dtype=object), nz * ni),
        "value": np.round(rng.gamma(2.0, 20.0, nz * ni * ny), 1),
    })
    frame.to_csv(path, index=False, float_format="%.1f")
    CSV_META.write_text(json.dumps(meta), encoding="utf-8")
    return path


# --- worker: the real import -------------------------------------------------

REAL_PHASES = {0.05: "read (read_tidy)", 0.25: "validate (prepare_rows)", 0.5: "write (one transaction)",
               1.0: "end"}


def worker_real(csv: Path, db: Path, profile: str | None) -> dict[str, object]:
    from nabolag.domain.indicators import Indicator
    from nabolag.domain.zones import Level, Zone
    from nabolag.services import Context
    from nabolag.services.indicators import define_indicators
    from nabolag.services.observations import import_observations
    from nabolag.services.zones import define_zones

    fresh_sqlite(db)
    ctx = Context.open(f"sqlite:///{db}")
    define_zones(ctx, [Zone(code=c, name=f"Grunnkrets {c}", level=Level.GRUNNKRETS)
                       for c in zone_codes(PARAMS["zones"])])
    define_indicators(ctx, [Indicator(code=c, name_nb=f"Indikator {c}")
                            for c in indicator_codes(PARAMS["indicators"])])
    rss_before = current_rss_mib()
    phases = Phases()
    ctx.progress = lambda label, fraction: phases.mark(REAL_PHASES.get(fraction, label))
    profiler = start_profiler(profile)
    start = time.perf_counter()
    phases.mark("checks (size, SHA-256)")
    report = import_observations(ctx, csv)
    seconds = time.perf_counter() - start
    stop_profiler(profiler, profile, NAME)
    durations = phases.durations(start + seconds)
    durations.pop("end", None)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT count(*) FROM observation").fetchone()[0]
    ctx.close()
    return {"seconds": round(seconds, 3), "phases": durations, "rss_before_mib": rss_before,
            "rows_in_db": rows, "report_ok": report.ok,
            "report_notes": [relative(w.describe()) for w in report.warnings][:5]}


# --- worker: the baseline ----------------------------------------------------

BASELINE_DDL = """
CREATE TABLE import_batch (id INTEGER NOT NULL PRIMARY KEY);
CREATE TABLE indicator (id INTEGER NOT NULL PRIMARY KEY, code VARCHAR(60) NOT NULL UNIQUE);
CREATE TABLE zone (id INTEGER NOT NULL PRIMARY KEY, code VARCHAR(40) NOT NULL UNIQUE);
CREATE TABLE area (id INTEGER NOT NULL PRIMARY KEY, code VARCHAR(60) NOT NULL UNIQUE);
CREATE TABLE observation (
    id INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL,
    zone_id INTEGER,
    area_id INTEGER,
    period VARCHAR(24) NOT NULL,
    groups VARCHAR(300) DEFAULT '' NOT NULL,
    value FLOAT,
    numerator FLOAT,
    denominator FLOAT,
    n INTEGER,
    ci_low FLOAT,
    ci_high FLOAT,
    status VARCHAR(20) DEFAULT 'ok' NOT NULL,
    source VARCHAR(300) DEFAULT '' NOT NULL,
    import_id INTEGER,
    CONSTRAINT pk_observation PRIMARY KEY (id),
    FOREIGN KEY(indicator_id) REFERENCES indicator (id),
    FOREIGN KEY(zone_id) REFERENCES zone (id),
    FOREIGN KEY(area_id) REFERENCES area (id) ON DELETE CASCADE,
    FOREIGN KEY(import_id) REFERENCES import_batch (id),
    CHECK ((zone_id IS NULL) <> (area_id IS NULL))
);
CREATE UNIQUE INDEX uq_observation_zone_key ON observation (indicator_id, zone_id, period, groups)
    WHERE zone_id IS NOT NULL;
CREATE UNIQUE INDEX uq_observation_area_key ON observation (indicator_id, area_id, period, groups)
    WHERE area_id IS NOT NULL;
CREATE INDEX ix_observation_import_id ON observation (import_id);
"""

BASELINE_INSERT = ("INSERT INTO observation (indicator_id, zone_id, area_id, period, groups, value, numerator, "
                   "denominator, n, ci_low, ci_high, status, source, import_id) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def _connect(db: Path) -> sqlite3.Connection:
    """Same pragmas as nabolag's SQLite engine (nabolag/store/engine.py)."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def worker_baseline(csv: Path, db: Path) -> dict[str, object]:
    import pandas as pd

    fresh_sqlite(db)
    conn = _connect(db)
    conn.executescript(BASELINE_DDL)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO zone (code) VALUES (?)", [(c,) for c in zone_codes(PARAMS["zones"])])
    conn.executemany("INSERT INTO indicator (code) VALUES (?)",
                     [(c,) for c in indicator_codes(PARAMS["indicators"])])
    conn.execute("INSERT INTO import_batch (id) VALUES (1)")
    conn.execute("COMMIT")
    rss_before = current_rss_mib()
    phases = Phases()
    start = time.perf_counter()
    phases.mark("read (pandas.read_csv)")
    frame = pd.read_csv(csv, dtype={"zone": str, "indicator": str, "period": str, "value": float})
    phases.mark("map codes to ids (dict)")
    zone_ids = dict(conn.execute("SELECT code, id FROM zone").fetchall())
    indicator_ids = dict(conn.execute("SELECT code, id FROM indicator").fetchall())
    zid = frame["zone"].map(zone_ids)
    iid = frame["indicator"].map(indicator_ids)
    if zid.isna().any() or iid.isna().any():
        raise RuntimeError("unknown code in the baseline")
    n = len(frame)
    none = [None] * n
    columns = (iid.astype("int64").tolist(), zid.astype("int64").tolist(), none,
               frame["period"].tolist(), [""] * n, frame["value"].tolist(), none, none, none, none, none,
               ["ok"] * n, [""] * n, [1] * n)
    phases.mark("insert (executemany, one transaction)")
    conn.execute("BEGIN")
    conn.executemany(BASELINE_INSERT, zip(*columns, strict=True))
    phases.mark("commit")
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    rows = conn.execute("SELECT count(*) FROM observation").fetchone()[0]
    conn.close()
    return {"seconds": round(seconds, 3), "phases": phases.durations(start + seconds),
            "rss_before_mib": rss_before, "rows_in_db": rows}


# --- driver ------------------------------------------------------------------

def _check_databases() -> dict[str, object]:
    """Independent checks on both databases after the last run."""
    with sqlite3.connect(REAL_DB) as real, sqlite3.connect(BASE_DB) as base:
        q_rows = "SELECT count(*), count(DISTINCT zone_id), count(DISTINCT indicator_id), " \
                 "count(DISTINCT period), round(sum(value), 1) FROM observation"
        r, b = real.execute(q_rows).fetchone(), base.execute(q_rows).fetchone()
        leading_zero = real.execute(
            "SELECT count(*) FROM observation o JOIN zone z ON z.id = o.zone_id WHERE z.code = '03010101'"
        ).fetchone()[0]
        batch = real.execute("SELECT rows FROM import_batch WHERE kind = 'observations'").fetchall()
    return {"real": dict(zip(("rows", "zones", "indicators", "periods", "sum_value"), r, strict=True)),
            "baseline": dict(zip(("rows", "zones", "indicators", "periods", "sum_value"), b, strict=True)),
            "rows_for_zone_03010101": leading_zero, "import_batch_rows": [x[0] for x in batch]}


def run(repeat: int = 1, profile: str | None = None) -> dict[str, object]:
    log(f"[{NAME}] generating {PARAMS['zones'] * PARAMS['indicators'] * PARAMS['years']:,} rows -> {CSV}")
    csv = generate_csv()
    expected = PARAMS["zones"] * PARAMS["indicators"] * PARAMS["years"]
    machine = machine_info()  # before the runs: the commit and src/ state that were measured
    real_runs, base_runs = [], []
    for i in range(repeat):
        log(f"[{NAME}] run {i + 1}/{repeat}: baseline (pandas.read_csv + sqlite3.executemany) …")
        base_runs.append(run_worker(f"bench.{NAME}", "baseline", ["--csv", str(csv), "--db", str(BASE_DB)]))
        log(f"[{NAME}]   baseline {base_runs[-1]['seconds']:.2f} s, peak RSS {base_runs[-1]['peak_rss_mib']} MiB")
        log(f"[{NAME}] run {i + 1}/{repeat}: nabolag import_observations …")
        real_runs.append(run_worker(f"bench.{NAME}", "real", ["--csv", str(csv), "--db", str(REAL_DB)]))
        log(f"[{NAME}]   real {real_runs[-1]['seconds']:.2f} s, peak RSS {real_runs[-1]['peak_rss_mib']} MiB")
    real_s = median([float(r["seconds"]) for r in real_runs])
    base_s = median([float(r["seconds"]) for r in base_runs])
    ratio = real_s / base_s
    checks = _check_databases()
    rows_ok = all(int(r["rows_in_db"]) == expected for r in real_runs) and checks["real"]["rows"] == expected
    same_data = checks["real"] == checks["baseline"]
    result = {
        "name": NAME,
        "machine": {**machine, "load_average_at_end": load_average()},
        "params": {**PARAMS, "rows": expected, "csv_bytes": csv.stat().st_size, "repeat": repeat,
                   "row_order": "indicator, zone, period", "database": "SQLite file in bench/work (WAL)"},
        "real": {"seconds_median": round(real_s, 3), "runs": real_runs},
        "baseline": {"seconds_median": round(base_s, 3), "runs": base_runs},
        "ratio": round(ratio, 2),
        "ratio_per_run": [round(float(a["seconds"]) / float(b["seconds"]), 2)
                          for a, b in zip(real_runs, base_runs, strict=True)],
        "min_seconds": {"real": min(float(r["seconds"]) for r in real_runs),
                        "baseline": min(float(r["seconds"]) for r in base_runs)},
        "checks": {**checks, "rows_equal_expected": rows_ok, "real_equals_baseline": same_data},
        "targets": {
            "real_under_seconds": {"target": TARGET_SECONDS, "measured": round(real_s, 3),
                                   "pass": real_s < TARGET_SECONDS},
            "ratio_at_most": {"target": TARGET_RATIO, "measured": round(ratio, 2), "pass": ratio <= TARGET_RATIO},
            "rows_after_import": {"target": expected, "measured": checks["real"]["rows"], "pass": rows_ok},
        },
    }
    if profile:
        profile = profiler_available(profile)
        log(f"[{NAME}] profiling the real import with {profile} …")
        run_worker(f"bench.{NAME}", "real", ["--csv", str(csv), "--db", str(REAL_DB), "--profile", profile])
        result["profile_output"] = f"bench/results/{NAME}.profile.txt"
    result["pass"] = all(t["pass"] for t in result["targets"].values())  # type: ignore[union-attr]
    write_results(NAME, result, markdown(result))
    log(f"[{NAME}] real {real_s:.2f} s, baseline {base_s:.2f} s, ratio {ratio:.2f} -> "
        f"{verdict(bool(result['pass']))}; results in {RESULTS / (NAME + '.md')}")
    return result


def _phase_table(runs: list[dict[str, object]]) -> list[str]:
    last = runs[-1]
    lines = ["| step | seconds |", "|---|---:|"]
    for label, sec in last["phases"].items():  # type: ignore[union-attr]
        lines.append(f"| {label} | {sec:.2f} |")
    return lines


def markdown(r: dict[str, object]) -> str:
    p, t = r["params"], r["targets"]
    real, base = r["real"], r["baseline"]
    rl, bl = real["runs"][-1], base["runs"][-1]  # type: ignore[index]
    lines = [
        f"# Benchmark: {NAME}", "",
        (f"{p['rows']:,} tidy rows ({p['zones']:,} zones × {p['indicators']} indicators × {p['years']} years; "
        f"CSV {p['csv_bytes'] / 1e6:.1f} MB, columns zone, indicator, period, value; row order "
        f"{p['row_order']}) imported into a fresh SQLite database. Median of {p['repeat']} run(s); "
        "each side in its own process."), "",
        "| | seconds | peak RSS (MiB) | RSS before timing (MiB) | rows in DB |",
        "|---|---:|---:|---:|---:|",
        (f"| nabolag `import_observations` | {real['seconds_median']:.2f} | {rl['peak_rss_mib']} | "
        f"{rl['rss_before_mib']} | {rl['rows_in_db']:,} |"),
        (f"| baseline `pandas.read_csv` + `sqlite3.executemany` | {base['seconds_median']:.2f} | {bl['peak_rss_mib']} | "
        f"{bl['rss_before_mib']} | {bl['rows_in_db']:,} |"),
        "", f"Ratio real / baseline: **{r['ratio']:.2f}**", "",
        "## Targets", "",
        "| target | measured | result |", "|---|---:|---|",
        (f"| real import < {t['real_under_seconds']['target']:.0f} s | {t['real_under_seconds']['measured']:.2f} s | "
        f"{verdict(t['real_under_seconds']['pass'])} |"),
        (f"| real within {t['ratio_at_most']['target']:.0f}× baseline | {t['ratio_at_most']['measured']:.2f}× | "
        f"{verdict(t['ratio_at_most']['pass'])} |"),
        (f"| rows after import = {t['rows_after_import']['target']:,} | {t['rows_after_import']['measured']:,} | "
        f"{verdict(t['rows_after_import']['pass'])} |"),
        "", f"Overall: **{verdict(bool(r['pass']))}**", "",
        *([f"Profile of one extra real run: `{r['profile_output']}`", ""] if r.get("profile_output") else []),
        "## Where the time goes (last run)", "", "nabolag (phases from its progress callback):", "",
        *_phase_table(real["runs"]), "", "baseline:", "", *_phase_table(base["runs"]), "",
        "## Checks", "",
        f"- real DB: {r['checks']['real']}",
        f"- baseline DB: {r['checks']['baseline']}",
        f"- same counts and value sum in both: {r['checks']['real_equals_baseline']}",
        f"- rows for zone `03010101` (leading zero kept): {r['checks']['rows_for_zone_03010101']}",
        f"- import_batch.rows: {r['checks']['import_batch_rows']}", "",
    ]
    if len(real["runs"]) > 1:  # type: ignore[arg-type]
        lines += [(f"All runs (s): real {[x['seconds'] for x in real['runs']]}, "
                  f"baseline {[x['seconds'] for x in base['runs']]}; ratio of each pair (run back to back): "
                  f"{r['ratio_per_run']}; fastest real {r['min_seconds']['real']:.2f} s vs fastest baseline "
                  f"{r['min_seconds']['baseline']:.2f} s = {r['min_seconds']['real'] / r['min_seconds']['baseline']:.2f}."),
                  (f"Timings on this {r['machine']['nproc']}-core machine vary with other work (see load average below); the "
                  "median is the headline number."), ""]
    lines.append(machine_markdown(r["machine"]))  # type: ignore[arg-type]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog=f"python -m bench.{NAME}", description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=1, help="runs per side; the median is reported")
    ap.add_argument("--profile", nargs="?", const="pyinstrument", choices=["pyinstrument", "cprofile"],
                    help="also profile one extra real run (pyinstrument if installed, else cProfile; summary in "
                         "bench/results/<name>.profile.txt, full output in bench/work)")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    ap.add_argument("--worker", choices=["real", "baseline"], help=argparse.SUPPRESS)
    ap.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker == "real":
        write_worker_result(args.out, worker_real(args.csv, args.db, args.profile))
        return 0
    if args.worker == "baseline":
        write_worker_result(args.out, worker_baseline(args.csv, args.db))
        return 0
    result = run(repeat=args.repeat, profile=args.profile)
    return 1 if args.strict and not result["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
