"""The restart run of the survey benchmark: 50 asyncio clients (httpx) submit the public form for a fixed
time while the server is stopped (SIGTERM) at one third and killed (SIGKILL) at two thirds of the run, and
started again on the same port each time. A client sends each token until it gets the 303 (on a connection
error, a timeout or a 5xx it waits 50 ms and sends the same token again), so every token it made is either
acknowledged or still being retried when the run ends (it is then finished before counting). Afterwards
the database is read: each token must be stored exactly once, and no other token stored."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

RETRY_PAUSE = 0.05
GIVE_UP_SECONDS = 120.0


async def _client(base: str, path: str, body: str, stop: asyncio.Event, out: dict[str, Any]) -> None:
    import httpx

    headers = {"content-type": "application/x-www-form-urlencoded"}
    async with httpx.AsyncClient(base_url=base, timeout=10.0) as client:
        while not stop.is_set():
            token = f"rst-{uuid.uuid4().hex}"
            out["made"].add(token)
            first, tries = time.perf_counter(), 0
            while True:
                tries += 1
                started = time.perf_counter()
                try:
                    r = await client.post(path, content=f"{body}&token={token}", headers=headers)
                    if r.status_code == 303:
                        out["latency"].append(time.perf_counter() - started)
                        out["acked"].add(token)
                        break
                    out["statuses"][r.status_code] += 1
                except httpx.HTTPError as exc:
                    out["errors"][type(exc).__name__] += 1
                if time.perf_counter() - first > GIVE_UP_SECONDS:
                    out["gave_up"].add(token)
                    break
                await asyncio.sleep(RETRY_PAUSE)
            if tries > 1:
                out["retried"].add(token)


def _restarts(seconds: float, server_holder: dict[str, Any], factory: Callable[[int | None], Any],
              events: list[dict[str, Any]]) -> None:
    """In a thread: SIGTERM at 1/3, SIGKILL at 2/3 of the run; start the server again each time."""
    for fraction, sig in ((1 / 3, signal.SIGTERM), (2 / 3, signal.SIGKILL)):
        time.sleep(max(0.0, server_holder["t0"] + seconds * fraction - time.monotonic()))
        server = server_holder["server"]
        down = time.monotonic()
        os.killpg(server.proc.pid, sig)
        server.proc.wait(timeout=30)
        server_holder["server"] = factory(server.port)
        events.append({"signal": sig.name, "at_s": round(down - server_holder["t0"], 1),
                       "down_s": round(time.monotonic() - down, 2)})


def restart_run(db: Path, code: str, body: str, seconds: float, clients: int,
                server_factory: Callable[[int | None], Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"made": set(), "acked": set(), "retried": set(), "gave_up": set(), "latency": [],
                           "statuses": Counter(), "errors": Counter()}
    with sqlite3.connect(db) as conn:
        before = Counter(t for (t,) in conn.execute("SELECT token FROM survey_response"))
    holder: dict[str, Any] = {"server": server_factory(None)}
    events: list[dict[str, Any]] = []
    base = holder["server"].base

    async def main() -> float:
        stop = asyncio.Event()
        holder["t0"] = time.monotonic()
        restarter = threading.Thread(target=_restarts, args=(seconds, holder, server_factory, events), daemon=True)
        restarter.start()
        tasks = [asyncio.create_task(_client(base, f"/s/{code}", body, stop, out)) for _i in range(clients)]
        await asyncio.sleep(seconds)
        stop.set()
        await asyncio.gather(*tasks)
        restarter.join(timeout=60)
        return time.monotonic() - holder["t0"]

    try:
        elapsed = asyncio.run(main())
    finally:
        holder["server"].stop()
    with sqlite3.connect(db) as conn:
        after = Counter(t for (t,) in conn.execute("SELECT token FROM survey_response"))
    new = after - before
    lat = sorted(out["latency"])

    def pct(p: float) -> float:
        return round(lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000, 1) if lat else float("nan")

    return {
        "seconds": round(elapsed, 1), "clients": clients, "restarts": events,
        "made": len(out["made"]), "acknowledged": len(out["acked"]), "retried_tokens": len(out["retried"]),
        "gave_up": len(out["gave_up"]), "stored": sum(new.values()),
        "lost": len(out["made"] - set(new)),
        "duplicated": sum(n - 1 for n in after.values() if n > 1),
        "unexpected": len(set(new) - out["made"]),
        "retried_stored_once": sum(1 for t in out["retried"] if new.get(t) == 1),
        "rps": round(len(out["acked"]) / elapsed, 1), "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99),
        "other_statuses": {str(k): v for k, v in out["statuses"].items()}, "client_errors": dict(out["errors"]),
    }
