"""Benchmark: resident survey submissions (issue 6) against the real server, measured from outside it.

``nabolag serve`` (one uvicorn process, SQLite, the survey rate limit off) holds an open survey of the
built-in ``innbyggerundersokelse`` questionnaire (34 questions). Three runs:

1. **bare**: ``bench/survey_bare.py``, a tiny FastAPI app on the same uvicorn with the same SQLite engine
   settings whose one route reads the form and inserts one row: the floor of the stack.
2. **survey**: wrk, 50 connections, each request the final POST of the public form (every answer, a home
   zone, ``action=submit``) with a fresh token (``bench/survey_post.lua``): rate and latency percentiles.
3. **restart**: a Python client (httpx, asyncio, 50 concurrent clients) submits for a fixed time while the
   server is stopped with SIGTERM at one third and killed with SIGKILL at two thirds, each time started
   again on the same port. A client retries with the same token on a connection error, a timeout or a
   5xx until it gets the 303. Afterwards the database is read: every acknowledged or retried token must
   be stored exactly once, and nothing else stored.

    python -m bench.survey [--seconds 15] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from bench._common import (
    BENCH_DIR,
    WORK,
    finish,
    fresh_sqlite,
    log,
    machine_info,
    median,
)
from bench.survey_report import markdown, targets
from bench.survey_restart import restart_run
from bench.web import Server
from bench.web import wrk as web_wrk

NAME = "survey"
CONNECTIONS, THREADS = 50, 2
DB, BARE_DB = WORK / "survey.sqlite", WORK / "survey_bare.sqlite"
LUA = BENCH_DIR / "survey_post.lua"
CODE, TEMPLATE = "bench-2024", "innbyggerundersokelse"
ZONES = [f"0301{n:06d}" for n in range(1, 21)]


def prepare() -> tuple[str, str]:
    """A fresh database with 20 zones and the open survey; the form body (without token) and the JSON body."""
    from nabolag.domain.zones import Level, Zone
    from nabolag.services import Context, zones
    from nabolag.services.survey import create_survey, open_survey
    from nabolag.services.survey_templates import load_template

    fresh_sqlite(DB)
    q = load_template(TEMPLATE)
    with Context.open(f"sqlite:///{DB}", actor="bench") as ctx:
        zones.define_zones(ctx, [Zone(code=c, name=f"Sone {c[-2:]}", level=Level.DELBYDEL) for c in ZONES])
        create_survey(ctx, q, code=CODE, period="2024")
        open_survey(ctx, CODE)
    pairs: list[tuple[str, str]] = []
    answers: dict[str, object] = {}
    for x in q.questions():
        if x.type in ("scale", "likert"):
            value: object = str(min(4, x.points))
        elif x.type == "yesno":
            value = "yes"
        elif x.type in ("single", "multiple"):
            value = x.choices[0].code
        elif x.type == "number":
            value = str(int(x.min or 0))
        elif x.type == "text":
            value = "Parken og biblioteket er bra; mer lys i tunnelen."
        else:
            w, s, e, n = x.bounds or (10.6, 59.8, 11.0, 60.0)
            pairs += [(f"q.{x.id}.lon", f"{(w + e) / 2:.5f}"), (f"q.{x.id}.lat", f"{(s + n) / 2:.5f}")]
            answers[x.id] = {"lon": round((w + e) / 2, 5), "lat": round((s + n) / 2, 5)}
            continue
        pairs.append((f"q.{x.id}", value))  # type: ignore[arg-type]
        answers[x.id] = [value] if x.type == "multiple" else value
    pairs += [("lang", "nb"), ("step", str(len(q.sections))), ("action", "submit"), ("home_zone", ZONES[3])]
    import json

    body_json = json.dumps({"token": "TOKEN", "language": "nb", "answers": answers, "home_zone": ZONES[3]})
    return urlencode(pairs), body_json


class BareServer(Server):
    """``uvicorn bench.survey_bare:app`` with the same options as ``nabolag serve``."""

    def __init__(self) -> None:  # noqa: D107 - the same start-up wait as bench.web.Server
        self.start([sys.executable, "-m", "uvicorn", "bench.survey_bare:app", "--log-level", "warning"],
                   env={**os.environ, "BARE_DATABASE": str(BARE_DB)})


def wrk(url: str, seconds: int, body_file: Path, content_type: str, prefix: str) -> dict[str, float]:
    import json

    proc = subprocess.run(["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",  # noqa: S607
                           "-s", str(LUA), url, "--", str(body_file), content_type, prefix],
                          capture_output=True, text=True, check=True)
    r = json.loads(next(ln for ln in proc.stdout.splitlines() if ln.startswith("{")))
    secs = r["duration_us"] / 1e6
    return {"p50_ms": r["p50"] / 1000, "p95_ms": r["p95"] / 1000, "p99_ms": r["p99"] / 1000,
            "requests": r["requests"], "answered": r["answered"], "bad": r["bad"], "errors": r["errors"],
            "rps": r["answered"] / secs, "seconds": round(secs, 2)}


def stored_tokens(db: Path, table: str, column: str = "token") -> Counter[str]:
    with sqlite3.connect(db) as conn:
        return Counter(t for (t,) in conn.execute(f"SELECT {column} FROM {table}"))  # noqa: S608


def run(repeat: int = 1, profile: str | None = None, seconds: int = 15) -> dict[str, object]:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is missing: `make bench` installs it (apt-get install wrk)")
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ["NABOLAG_SURVEY_RATE"] = "off"  # the per-address limit would stop 50 clients on 127.0.0.1
    machine = machine_info()
    form_body, json_body = prepare()
    tmp = Path(tempfile.mkdtemp(prefix="bench-survey-"))
    (tmp / "form.txt").write_text(form_body, encoding="utf-8")
    runs: dict[str, list[dict[str, float]]] = {"bare": [], "survey": []}
    floors: dict[str, list[dict[str, float]]] = {}  # the stack without a database: where the time goes
    for i in range(repeat):
        fresh_sqlite(BARE_DB)
        bare = BareServer()
        try:
            runs["bare"].append(wrk(bare.base + "/bare", seconds, tmp / "form.txt", "application/x-www-form-urlencoded",
                                    f"bare{i}"))
            floors.setdefault("bare FastAPI /healthz", []).append(web_wrk(bare.base + "/healthz", 5))
        finally:
            bare.stop()
        bare_rows = stored_tokens(BARE_DB, "bare")
        runs["bare"][-1]["stored"] = len(bare_rows)
        log(f"[{NAME}] run {i + 1}/{repeat} bare insert: {runs['bare'][-1]['rps']:.0f}/s, "
            f"p99 {runs['bare'][-1]['p99_ms']:.1f} ms")
        server = Server(DB)
        try:
            before = sum(stored_tokens(DB, "survey_response").values())
            r = wrk(server.base + f"/s/{CODE}", seconds, tmp / "form.txt", "application/x-www-form-urlencoded",
                    f"wrk{i}-{uuid.uuid4().hex[:6]}")
            floors.setdefault("nabolag /healthz", []).append(web_wrk(server.base + "/healthz", 5))
        finally:
            server.stop()
        counts = stored_tokens(DB, "survey_response")
        r["stored"] = sum(counts.values()) - before
        r["duplicates"] = sum(n - 1 for n in counts.values() if n > 1)
        runs["survey"].append(r)
        log(f"[{NAME}] run {i + 1}/{repeat} survey form: {r['rps']:.0f}/s, p99 {r['p99_ms']:.1f} ms, "
            f"answered {r['answered']}, stored {r['stored']}")
    restart = restart_run(DB, CODE, form_body, seconds=max(2 * seconds, 30), clients=CONNECTIONS,
                          server_factory=lambda port: Server(DB, port))
    log(f"[{NAME}] restart run: {restart['acknowledged']} acknowledged, {restart['retried_tokens']} retried, "
        f"lost {restart['lost']}, duplicated {restart['duplicated']}, unexpected {restart['unexpected']}")
    summary = {side: {k: round(median([float(r[k]) for r in rs]), 2) for k in rs[0]} for side, rs in runs.items()}
    data = {"name": NAME, "machine": machine, "repeat": repeat, "seconds": seconds, "connections": CONNECTIONS,
            "threads": THREADS, "questions": form_body.count("q."), "form_bytes": len(form_body) + 40,
            "runs": runs, "summary": summary, "floors": {k: {"rps": round(median([x["rps"] for x in v]), 1),
                                                             "p99_ms": round(median([x["p99_ms"] for x in v]), 1)}
                                                         for k, v in floors.items()}, "restart": restart}
    data["targets"] = targets(data)
    shutil.rmtree(tmp, ignore_errors=True)
    return finish(NAME, data, markdown)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.survey", description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1, help="wrk runs per side; the median is reported")
    ap.add_argument("--seconds", type=int, default=15, help="seconds of load per wrk run (the restart run: 2x)")
    ap.add_argument("--profile", nargs="?", const="pyinstrument", help=argparse.SUPPRESS)
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = ap.parse_args(argv)
    data = run(args.repeat, seconds=args.seconds)
    return 1 if args.strict and not data["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
