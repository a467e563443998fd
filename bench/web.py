"""Benchmark: the web app under load (issue 4), measured from outside the process with wrk.

Two databases, built once into ``bench/work/`` (not timed):

- the Oslo demo (``build_demo``: 96 delbydeler, 15 bydeler, 12 indicators, indices, a baseline);
- 14,000 generated grunnkrets polygons (the GeoPackage of the ``import_zones`` benchmark) with one
  indicator holding a value for every zone.

For each, ``nabolag --database … serve`` runs as its own process (one uvicorn worker, as
``make demo`` runs it) and Debian's ``wrk`` drives it with 20 connections on 2 threads for a fixed
time per URL; a small Lua script reports the 50th, 95th and 99th percentile latencies. The floor
of the stack, ``/healthz`` (no database, no template), is measured in the same run as the
baseline. Every URL is fetched once before it is timed, so caches are warm as in daily use.

    python -m bench.web [--repeat N] [--seconds S]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench._common import (
    BENCH_DIR,
    ROOT,
    WORK,
    finish,
    fresh_sqlite,
    log,
    machine_info,
    median,
    report_tail,
    verdict,
)

NAME = "web"
CONNECTIONS, THREADS = 20, 2
DEMO_DB = WORK / "web_demo.sqlite"
GK_DB = WORK / "web_grunnkrets.sqlite"
LUA = BENCH_DIR / "wrk_percentiles.lua"
GK_INDICATOR = "andel_lavinntekt_gk"
GK_PERIOD = "2024"

# (label, database, path, target p95 in ms or None for the baseline)
URLS = [
    ("baseline: /healthz", "demo", "/healthz", None),
    ("overview page /", "demo", "/", 100.0),
    ("overview JSON /index.json", "demo", "/index.json", 100.0),
    ("GeoJSON, 96 delbydeler (zoom 11)", "demo", "/geo/delbydel.geojson?zoom=11", 100.0),
    ("map values, 96 delbydeler", "demo", "/geo/delbydel.geojson?zoom=11&indicator=lavinntekt&period=2024",
     100.0),
    ("baseline: /healthz (grunnkrets db)", "gk", "/healthz", None),
    ("GeoJSON, 14,000 grunnkretser (zoom 11)", "gk", "/geo/grunnkrets.geojson?zoom=11", 1000.0),
    ("map values, 14,000 grunnkretser", "gk",
     f"/geo/grunnkrets.geojson?zoom=11&indicator={GK_INDICATOR}&period={GK_PERIOD}", 1000.0),
]


# --- databases ---------------------------------------------------------------

def build_demo_db() -> dict[str, object]:
    from nabolag.demo import build_demo
    from nabolag.services import Context

    if DEMO_DB.exists():
        return {"reused": True}
    start = time.perf_counter()
    fresh_sqlite(DEMO_DB)
    with Context.open(f"sqlite:///{DEMO_DB}") as ctx:
        build_demo(ctx, rebuild=True)
    return {"reused": False, "seconds": round(time.perf_counter() - start, 1)}


def build_grunnkrets_db() -> dict[str, object]:
    import numpy as np
    import pandas as pd

    from bench.import_zones import GPKG, OPTIONS, generate_gpkg
    from nabolag.domain.indicators import Indicator
    from nabolag.ingest.zones import ZoneOptions
    from nabolag.services import Context
    from nabolag.services.indicators import define_indicators
    from nabolag.services.observations import load_frame
    from nabolag.services.zones import import_zones, list_zones

    if GK_DB.exists():
        return {"reused": True}
    start = time.perf_counter()
    if not GPKG.exists():
        generate_gpkg()
    tmp = GK_DB.with_suffix(".partial.sqlite")
    fresh_sqlite(tmp)
    with Context.open(f"sqlite:///{tmp}") as ctx:
        import_zones(ctx, GPKG, ZoneOptions(**OPTIONS))
        define_indicators(ctx, [Indicator(code=GK_INDICATOR, name_nb="Andel med lavinntekt (generert)", unit="%")])
        codes = [z.code for z in list_zones(ctx, level="grunnkrets")]
        values = np.round(np.random.default_rng(4).gamma(2.0, 5.0, len(codes)), 1)
        report = load_frame(ctx, pd.DataFrame({"zone": codes, "indicator": GK_INDICATOR, "period": GK_PERIOD,
                                               "value": values}), file_name="bench-web")
        if not report.ok:
            raise RuntimeError("load_frame failed for the grunnkrets values")
    tmp.rename(GK_DB)
    return {"reused": False, "seconds": round(time.perf_counter() - start, 1), "zones": len(codes)}


# --- server and load ---------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``nabolag --database sqlite:///DB serve`` in its own process group (on ``port``, else a free one)."""

    def __init__(self, db: Path, port: int | None = None) -> None:
        nabolag = Path(sys.executable).with_name("nabolag")
        self.start([str(nabolag), "--database", f"sqlite:///{db}", "serve"], port)

    def start(self, command: list[str], port: int | None = None, env: dict[str, str] | None = None) -> None:
        """Start ``command --port PORT`` and wait until ``/healthz`` answers 200."""
        self.port = port or _free_port()
        self.proc = subprocess.Popen(  # noqa: S603
            [*command, "--port", str(self.port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server on {self.base} did not start: {self.proc.stderr.read().decode()[-2000:]}")

    def get(self, path: str) -> tuple[int, int]:
        with urllib.request.urlopen(self.base + path, timeout=60) as r:  # noqa: S310
            return r.status, len(r.read())

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def wrk(url: str, seconds: int) -> dict[str, float]:
    """One wrk run; the Lua script prints a JSON line with latency percentiles in µs."""
    proc = subprocess.run(["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",  # noqa: S607
                           "-s", str(LUA), url], capture_output=True, text=True, check=True)
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("{"))
    r = json.loads(line)
    return {"p50_ms": r["p50"] / 1000, "p95_ms": r["p95"] / 1000, "p99_ms": r["p99"] / 1000,
            "requests": r["requests"], "rps": r["requests"] / (r["duration_us"] / 1e6),
            "errors": r["errors"], "non_2xx": r["non2xx"]}


# --- run ---------------------------------------------------------------------

def run(repeat: int = 1, profile: str | None = None, seconds: int = 10) -> dict[str, object]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is missing: `make bench` installs it (apt-get install wrk)")
    WORK.mkdir(parents=True, exist_ok=True)
    log(f"[{NAME}] preparing the demo and the 14,000-grunnkrets databases (not timed) …")
    setup = {"demo": build_demo_db(), "grunnkrets": build_grunnkrets_db()}
    runs: dict[str, list[dict[str, float]]] = {label: [] for label, *_ in URLS}
    sizes: dict[str, int] = {}
    for i in range(repeat):
        for which, db in (("demo", DEMO_DB), ("gk", GK_DB)):
            server = Server(db)
            try:
                for label, dbname, path, _target in URLS:
                    if dbname != which:
                        continue
                    status, size = server.get(path)  # warm-up, and a check that it answers
                    if status != 200:
                        raise RuntimeError(f"{path} answered {status}")
                    sizes[label] = size
                    r = wrk(server.base + path, seconds)
                    runs[label].append(r)
                    log(f"[{NAME}] run {i + 1}/{repeat} {label}: p95 {r['p95_ms']:.1f} ms, {r['rps']:.0f} req/s")
            finally:
                server.stop()
    results = []
    for label, _db, path, target in URLS:
        p95 = median([r["p95_ms"] for r in runs[label]])
        errors = sum(r["errors"] + r["non_2xx"] for r in runs[label])
        results.append({"label": label, "path": path, "target_p95_ms": target, "p95_ms": round(p95, 1),
                        "p50_ms": round(median([r["p50_ms"] for r in runs[label]]), 1),
                        "p99_ms": round(median([r["p99_ms"] for r in runs[label]]), 1),
                        "rps": round(median([r["rps"] for r in runs[label]]), 1), "errors": errors,
                        "bytes": sizes.get(label), "runs": runs[label],
                        "pass": None if target is None else (p95 < target and errors == 0)})
    targets = {r["label"][:22]: {"target": r["target_p95_ms"], "measured": r["p95_ms"], "pass": r["pass"]}
               for r in results if r["target_p95_ms"] is not None}
    data = {"name": NAME, "machine": machine_info(), "setup": setup, "repeat": repeat, "seconds": seconds,
            "connections": CONNECTIONS, "threads": THREADS, "results": results, "targets": targets}
    return finish(NAME, data, markdown)


def markdown(d: dict[str, Any]) -> str:
    lines = [
        "# Benchmark: web", "",
        f"The web app under load (issue 4): wrk with {d['connections']} connections on {d['threads']} threads, "
        f"{d['seconds']} s per URL, median of {d['repeat']} run(s), against `nabolag serve` (one uvicorn "
        "process) on SQLite, on the same 2-core machine. Latencies in ms; `/healthz` is the floor of the "
        "stack (no database, no template), measured in the same run.", "",
        "| URL | bytes | p50 | p95 | p99 | req/s | errors | target p95 | result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in d["results"]:  # type: ignore[attr-defined]
        target = "" if r["target_p95_ms"] is None else f"< {r['target_p95_ms']:.0f}"
        result = "baseline" if r["pass"] is None else verdict(r["pass"])
        lines.append(f"| {r['label']} (`{r['path']}`) | {r['bytes'] or ''} | {r['p50_ms']} | **{r['p95_ms']}** | "
                     f"{r['p99_ms']} | {r['rps']} | {r['errors']} | {target} | {result} |")
    lines += report_tail(d, f"Setup: `{json.dumps(d['setup'])}`", "")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1, help="runs per URL; the median is reported")
    ap.add_argument("--seconds", type=int, default=10, help="seconds of load per URL and run")
    ap.add_argument("--profile", nargs="?", const="pyinstrument", help=argparse.SUPPRESS)
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = ap.parse_args(argv)
    data = run(args.repeat, seconds=args.seconds)
    return 1 if args.strict and not data["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
