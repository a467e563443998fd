"""Targets and the readable report of the survey benchmark (bench/survey.py)."""

from __future__ import annotations

import json
from typing import Any

from bench._common import report_tail, verdict

RATE, P99_MS, RATIO = 200.0, 200.0, 0.5


def targets(d: dict[str, Any]) -> dict[str, dict[str, Any]]:
    s, b, r = d["summary"]["survey"], d["summary"]["bare"], d["restart"]
    ratio = s["rps"] / b["rps"] if b["rps"] else 0.0
    # wrk stops with up to one request per connection in flight: the server stores those, wrk never reads
    # their answer; so answered <= stored <= answered + connections, and no token twice
    wrk_exact = all(x["answered"] <= x["stored"] <= x["answered"] + d["connections"] and x["duplicates"] == 0
                    and x["bad"] == 0 for x in d["runs"]["survey"])
    restart_exact = r["lost"] == 0 and r["duplicated"] == 0 and r["unexpected"] == 0 and r["gave_up"] == 0
    return {
        "submissions/s": {"target": f">= {RATE:.0f}", "measured": round(s["rps"], 1), "pass": s["rps"] >= RATE},
        "p99 ms": {"target": f"< {P99_MS:.0f}", "measured": round(s["p99_ms"], 1), "pass": s["p99_ms"] < P99_MS},
        "rate / bare insert": {"target": f">= {RATIO}", "measured": round(ratio, 2), "pass": ratio >= RATIO},
        "exactly once (wrk)": {"target": "0 lost, 0 dup", "measured": "ok" if wrk_exact else "MISMATCH",
                               "pass": wrk_exact},
        "exactly once (restart)": {"target": "0 lost, 0 dup",
                                   "measured": f"{r['lost']} lost, {r['duplicated']} dup", "pass": restart_exact},
    }


def markdown(d: dict[str, Any]) -> str:
    s, b, r = d["summary"]["survey"], d["summary"]["bare"], d["restart"]
    lines = [
        "# Benchmark: survey submissions", "",
        f"The final POST of the public form `/s/{{code}}` ({d['questions']} answer fields, {d['form_bytes']} bytes, "
        f"a fresh token each) against `nabolag serve` (one uvicorn process, SQLite), from wrk with "
        f"{d['connections']} connections on {d['threads']} threads, {d['seconds']} s per run, median of "
        f"{d['repeat']} run(s); the bare endpoint (`bench/survey_bare.py`: same uvicorn, same SQLite engine, "
        "reads the form and inserts one row) in the same run. Latencies in ms.", "",
        "| endpoint | answered/s | p50 | p95 | p99 | answered | stored | other answers | socket errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| bare insert | {b['rps']:.0f} | {b['p50_ms']} | {b['p95_ms']} | {b['p99_ms']} | {b['answered']:.0f} | "
        f"{b['stored']:.0f} | {b['bad']:.0f} | {b['errors']:.0f} |",
        f"| survey form | **{s['rps']:.0f}** | {s['p50_ms']} | {s['p95_ms']} | **{s['p99_ms']}** | "
        f"{s['answered']:.0f} | {s['stored']:.0f} | {s['bad']:.0f} | {s['errors']:.0f} |",
        "", "Where the time goes: the same wrk (20 connections, 5 s) on `/healthz`, no database and no template: "
        + "; ".join(f"{k} **{v['rps']:.0f}/s** (p99 {v['p99_ms']} ms)" for k, v in d.get("floors", {}).items())
        + ". nabolag's own middleware (security headers, signed session, the language middleware) and FastAPI's "
        "dependencies cost about as much as the bare endpoint's whole insert; see bench/README.md.",
        "", "## Restart in the middle of the run", "",
        f"{r['clients']} asyncio clients (httpx) for {r['seconds']} s; the server stopped and started again: "
        + ", ".join(f"{e['signal']} at {e['at_s']} s (down {e['down_s']} s)" for e in r["restarts"]) + ". "
        "A client resends the same token after a connection error, timeout or 5xx until it gets the 303.", "",
        f"- tokens made {r['made']}, acknowledged {r['acknowledged']}, retried {r['retried_tokens']} "
        f"(stored exactly once: {r['retried_stored_once']}), given up {r['gave_up']}",
        f"- rows stored {r['stored']}: **lost {r['lost']}, duplicated {r['duplicated']}, unexpected {r['unexpected']}**",
        f"- rate over the whole run (restarts included) {r['rps']}/s; latency of the acknowledged request p50 "
        f"{r['p50_ms']}, p95 {r['p95_ms']}, p99 {r['p99_ms']} ms (the Python client shares the 2 cores)",
        f"- other answers while retrying: `{json.dumps(r['other_statuses'])}`, client errors: "
        f"`{json.dumps(r['client_errors'])}`",
        "", "## Targets", "", "| target | wanted | measured | result |", "|---|---|---|---|",
    ]
    for name, t in d["targets"].items():
        lines.append(f"| {name} | {t['target']} | {t['measured']} | {verdict(bool(t['pass']))} |")
    lines += report_tail(d)
    return "\n".join(lines)
