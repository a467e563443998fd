"""The floor for the survey benchmark: one POST route that reads a form and inserts one row, nothing else.

Same stack as ``nabolag serve``: FastAPI on uvicorn (one process, same log level), the insert run in a
worker thread queued as the survey route's submits are (``survey_guard.run_submit``), the same
SQLAlchemy engine with nabolag's SQLite settings (``nabolag.store.engine.make_engine``: WAL, ``synchronous=NORMAL``, ``busy_timeout``, ``BEGIN IMMEDIATE`` for writes), and the same
``INSERT … ON CONFLICT (token) DO NOTHING`` on a unique token. Run by ``bench/survey.py``::

    BARE_DATABASE=bench/work/survey_bare.sqlite python -m uvicorn bench.survey_bare:app --port 8123
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import text

from nabolag.store.engine import make_engine
from nabolag.web.survey_guard import run_submit

engine = make_engine(f"sqlite:///{os.environ.get('BARE_DATABASE', 'bench/work/survey_bare.sqlite')}")
with engine.connect().execution_options(write=True) as _conn, _conn.begin():
    _conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS bare (id INTEGER PRIMARY KEY, token TEXT NOT NULL UNIQUE, "
                          "submitted_at TEXT NOT NULL, answers TEXT NOT NULL)")
INSERT = text("INSERT INTO bare (token, submitted_at, answers) VALUES (:token, :at, :answers) "
              "ON CONFLICT (token) DO NOTHING RETURNING id")
app = FastAPI()


WRITER = threading.Lock()  # as nabolag's survey route: the writer lock, and one submit thread at a time


def _insert(token: str, answers: str) -> None:
    with WRITER, engine.connect().execution_options(write=True) as conn, conn.begin():
        conn.execute(INSERT, {"token": token, "at": dt.datetime.now(dt.UTC).isoformat(), "answers": answers})


@app.post("/bare")
async def bare(request: Request) -> Response:
    form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
    await run_submit("sqlite", _insert, form.get("token", ""), str(len(form)))
    return Response(status_code=303, headers={"Location": "/takk"})


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
