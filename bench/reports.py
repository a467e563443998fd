"""Benchmark: reports (issue 9) on the Oslo demo: one area's baseline PDF, and zone profiles for all 96
delbydeler on 2 cores against the same work in one process.

The demo (``nabolag.demo.build_demo``: real zones, synthetic figures, Groruddalen with its 2018 baseline)
is built once into ``bench/work/reports.sqlite``; that is not timed. Each side then runs in a fresh
process (``--worker``), so its peak RSS is its own and nothing is warm:

1. **area**: ``area_report_pdf(ctx, "groruddalen", "baseline")`` twice in one process: the first (cold:
   fonts, templates and caches loaded on the way) is the one a user waits for; the second shows the
   steady cost.
2. **profiles, 2 processes**: ``write_profiles(url, out, level="delbydel", workers=2)``: the real run.
3. **profiles, 1 process** (the baseline): the same call with ``workers=1``, the same zones and files.

Afterwards every profile is opened (pypdf): it must exist and be one A4 page. The children's peak RSS of
the 2-process run is the largest worker's (``RUSAGE_CHILDREN``).

    python -m bench.reports [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from bench._common import (
    WORK,
    finish,
    fresh_sqlite,
    load_average,
    log,
    machine_info,
    median,
    report_tail,
    run_worker,
    write_worker_result,
)

NAME = "reports"
DB = WORK / "reports.sqlite"
OUT = WORK / "reports-profiles"
LEVEL = "delbydel"
AREA = "groruddalen"
TARGET_AREA_S = 10.0
TARGET_PROFILES_S = 180.0
EXPECTED_ZONES = 96


def prepare() -> str:
    from nabolag.demo import build_demo
    from nabolag.services import Context

    fresh_sqlite(DB)
    url = f"sqlite:///{DB}"
    with Context.open(url, actor="bench") as ctx:
        build_demo(ctx)
    return url


def worker_area(url: str) -> dict[str, Any]:
    from nabolag.reports.area import area_report_pdf
    from nabolag.services import Context

    with Context.open(url, actor="bench", create=False) as ctx:
        times, size = [], 0
        for _ in range(2):
            start = time.perf_counter()
            size = len(area_report_pdf(ctx, AREA, "baseline"))
            times.append(round(time.perf_counter() - start, 3))
    return {"seconds": times[0], "warm_seconds": times[1], "bytes": size}


def worker_profiles(url: str, workers: int) -> dict[str, Any]:
    from nabolag.reports.zone_profile_batch import write_profiles

    out = OUT / f"w{workers}"
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    paths = write_profiles(url, out, level=LEVEL, workers=workers)
    seconds = time.perf_counter() - start
    children = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return {"seconds": round(seconds, 3), "files": len(paths), "out": str(out),
            "per_zone_seconds": round(seconds * workers / max(len(paths), 1), 3),
            "children_peak_rss_mib": children if workers > 1 else None}


def check_profiles(out: str) -> dict[str, Any]:
    """Every profile opens and is one A4 page (595 × 842 pt)."""
    from pypdf import PdfReader

    pages, sizes, a4 = [], [], True
    for p in sorted(Path(out).glob("*.pdf")):
        reader = PdfReader(p)
        pages.append(len(reader.pages))
        box = reader.pages[0].mediabox
        a4 = a4 and abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1
        sizes.append(p.stat().st_size)
    return {"files": len(pages), "one_page": sum(1 for n in pages if n == 1), "a4": a4,
            "kib_median": round(median([s / 1024 for s in sizes]), 1) if sizes else None,
            "index_html": (Path(out) / "index.html").exists()}


def run(repeat: int = 1, profile: str | None = None) -> dict[str, Any]:
    log(f"== {NAME}: Groruddalen baseline PDF; {EXPECTED_ZONES} delbydel profiles, 2 processes vs 1 ==")
    machine = machine_info()
    started = time.perf_counter()
    url = prepare()
    log(f"[{NAME}] demo built in {time.perf_counter() - started:.0f} s (not timed)")
    runs: dict[str, list[dict[str, Any]]] = {"area": [], "profiles_2": [], "profiles_1": []}
    for i in range(max(1, repeat)):
        for side, args in (("area", []), ("profiles_2", ["--workers", "2"]), ("profiles_1", ["--workers", "1"])):
            load = load_average()
            r = run_worker(f"bench.{NAME}", side.split("_")[0], ["--url", url, *args], timeout=1800)
            r["load_before"], r["load_after"] = load, load_average()
            runs[side].append(r)
            log(f"[{NAME}] run {i + 1}/{repeat} {side}: {r['seconds']} s, peak RSS {r['peak_rss_mib']} MiB")
    med = {side: sorted(rs, key=lambda r: r["seconds"])[len(rs) // 2] for side, rs in runs.items()}
    checks = {side: check_profiles(med[side]["out"]) for side in ("profiles_2", "profiles_1")}
    area, two, one = med["area"], med["profiles_2"], med["profiles_1"]
    speedup = round(one["seconds"] / two["seconds"], 2)
    all_good = all(c["files"] == EXPECTED_ZONES and c["one_page"] == EXPECTED_ZONES and c["a4"] and c["index_html"]
                   for c in checks.values())
    targets = {
        "area baseline PDF s": {"target": TARGET_AREA_S, "measured": area["seconds"],
                                "pass": area["seconds"] < TARGET_AREA_S},
        "96 profiles, 2 cores s": {"target": TARGET_PROFILES_S, "measured": two["seconds"],
                                   "pass": two["seconds"] < TARGET_PROFILES_S},
        "96 one-page A4 PDFs": {"target": EXPECTED_ZONES, "measured": checks["profiles_2"]["one_page"],
                                "pass": all_good},
    }
    data = {"name": NAME, "machine": machine, "repeat": repeat, "runs": runs, "median": med, "checks": checks,
            "speedup_2_vs_1": speedup, "targets": targets}
    return finish(NAME, data, markdown)


def markdown(d: dict[str, Any]) -> str:
    m, c = d["median"], d["checks"]
    area, two, one = m["area"], m["profiles_2"], m["profiles_1"]
    lines = [f"# Benchmark `{NAME}`", "", __doc__.strip(), "",
             "| side | seconds | core-seconds per unit | peak RSS MiB | process wall s | load (1 min) before → after |",
             "|---|---:|---:|---:|---:|---|",
             f"| area baseline PDF, cold (first in the process) | {area['seconds']} | {area['seconds']} per report | "
             f"{area['peak_rss_mib']} | {area['process_wall_seconds']} | {_load(area)} |",
             f"| area baseline PDF, warm (second) | {area['warm_seconds']} | – | – | – | |",
             f"| {EXPECTED_ZONES} profiles, 2 processes | {two['seconds']} | {two['per_zone_seconds']} per zone | "
             f"{two['peak_rss_mib']} (parent), {two['children_peak_rss_mib']} (largest worker) | "
             f"{two['process_wall_seconds']} | {_load(two)} |",
             f"| {EXPECTED_ZONES} profiles, 1 process (baseline) | {one['seconds']} | {one['per_zone_seconds']} per zone | "
             f"{one['peak_rss_mib']} | {one['process_wall_seconds']} | {_load(one)} |", "",
             f"Speed-up of 2 processes over 1: **{d['speedup_2_vs_1']}×**. The machine's 2 cores are shared with "
             "other work: a side that runs while others load the machine gets less than its cores (see the load "
             "column; `--repeat N` runs the sides in turn N times and reports the median). "
             f"The area report is {area['bytes'] // 1024} KiB. Process wall time is the worker process from start to "
             "end: Python's imports, opening the database and (for the area side) both reports.", "",
             "Profiles checked after the runs (pypdf): " + "; ".join(
                 f"{side}: {x['files']} files, {x['one_page']} of one page, A4 {x['a4']}, median {x['kib_median']} KiB, "
                 f"index.html {x['index_html']}" for side, x in c.items()), "",
             "| target | wanted | measured | |", "|---|---:|---:|---|"]
    for k, v in d["targets"].items():
        wanted = f"= {v['target']}" if "one-page" in k else f"< {v['target']}"
        lines.append(f"| {k} | {wanted} | {v['measured']} | {'PASS' if v['pass'] else 'FAIL'} |")
    return "\n".join(lines + report_tail(d))


def _load(r: dict[str, Any]) -> str:
    return f"{r['load_before'][0]} → {r['load_after'][0]}" if r.get("load_before") else "?"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog=f"python -m bench.{NAME}", description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=1, help="runs per side; the median is reported")
    ap.add_argument("--profile", nargs="?", const="pyinstrument", help=argparse.SUPPRESS)
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    ap.add_argument("--worker", choices=["area", "profiles"], help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=2, help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        result = worker_area(args.url) if args.worker == "area" else worker_profiles(args.url, args.workers)
        write_worker_result(args.out, result)
        return 0
    data = run(repeat=args.repeat)
    return 1 if args.strict and not data["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
