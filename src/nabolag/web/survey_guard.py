"""Abuse guards of the public survey form: submissions per client address (a token bucket, in memory),
a tight request size limit read before and while the body streams in, and the Origin/Referer check that
stands in for the CSRF token on the one public write.

The bucket holds ``burst`` requests and refills ``per_minute`` a minute per client address; an empty
bucket answers 429 with ``Retry-After``. Defaults 60 and 30 leave room for a school class behind one
address; ``NABOLAG_SURVEY_RATE="burst/per_minute"`` (e.g. ``120/60``) changes them, ``off`` turns the
limit off (the benchmark does). Counts live in this process only: with several workers the limit is per
worker.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

import anyio
import anyio.to_thread
from fastapi import Request

T = TypeVar("T")
MAX_BODY_BYTES = 64 * 1024
"""The largest survey POST (form or JSON). 2,000 characters of free text, URL-encoded, take at most
18 KB even in a non-Latin script; a larger body is not a resident's answer."""
MAX_FIELDS = 1000
DEFAULT_BURST, DEFAULT_PER_MINUTE = 60, 30.0
MAX_KEYS = 50_000


class BodyTooLarge(Exception):
    pass


class SurveyThrottle:
    """Token bucket per client address. ``burst <= 0`` turns it off."""

    def __init__(self, burst: int = DEFAULT_BURST, per_minute: float = DEFAULT_PER_MINUTE) -> None:
        self.burst, self.rate = burst, per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}  # address → (tokens, time)
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls) -> SurveyThrottle:
        text = os.environ.get("NABOLAG_SURVEY_RATE", "").strip().lower()
        if text in ("off", "0", "none"):
            return cls(burst=0)
        try:
            burst, per_minute = text.split("/")
            return cls(int(burst), float(per_minute))
        except ValueError:
            return cls()

    @property
    def enabled(self) -> bool:
        return self.burst > 0

    def take(self, address: str) -> int:
        """Use one request: 0 if allowed, else the seconds to wait."""
        if not self.enabled:
            return 0
        now = time.monotonic()
        with self._lock:
            if len(self._buckets) >= MAX_KEYS:
                self._forget(now)
            tokens, at = self._buckets.get(address, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            if tokens < 1.0:
                self._buckets[address] = (tokens, now)
                return max(1, math.ceil((1.0 - tokens) / self.rate)) if self.rate > 0 else 3600
            self._buckets[address] = (tokens - 1.0, now)
            return 0

    def _forget(self, now: float) -> None:
        """Drop full buckets (they say nothing); if still too many, the oldest half."""
        full = [k for k, (t, at) in self._buckets.items() if t + (now - at) * self.rate >= self.burst]
        for k in full:
            del self._buckets[k]
        if len(self._buckets) >= MAX_KEYS:
            for k in list(self._buckets)[: MAX_KEYS // 2]:
                del self._buckets[k]


def throttle(request: Request) -> SurveyThrottle:
    state = request.app.state
    found = getattr(state, "survey_throttle", None)
    if found is None:
        found = state.survey_throttle = SurveyThrottle.from_env()
    return found  # type: ignore[no-any-return]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The request body, refused (:class:`BodyTooLarge`) from its Content-Length or as soon as more than
    ``limit`` bytes have arrived."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise BodyTooLarge()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def foreign_origin(request: Request) -> str | None:
    """The other site a browser says the POST came from (``Origin``, else ``Referer``), or ``None`` when
    it came from this site or the client sent neither (an app or a script)."""
    host = request.headers.get("host", "")
    origin = request.headers.get("origin")
    if origin is not None:
        if origin == "null":
            return origin
        return None if urlsplit(origin).netloc == host else origin[:200]
    referer = request.headers.get("referer")
    if referer:
        return None if urlsplit(referer).netloc == host else referer[:200]
    return None


_SQLITE_WRITER = threading.Lock()


class _NoLock:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_LIMITERS: dict[str, anyio.CapacityLimiter] = {}


async def run_submit(dialect: str, func: Callable[..., T], *args: object) -> T:
    """Run a blocking submit in a worker thread; on SQLite one at a time, first come first served.

    Threads that all wait for the one writer lock fight over the GIL while they do (Python hands it over
    every 5 ms), so a few of 50 waiting submits waited 400 ms and more (bench/survey.py). Queuing them in
    the event loop instead (anyio's limiter is fair) keeps one submit thread busy at a time; other
    processes still meet SQLite's ``busy_timeout``. PostgreSQL takes concurrent writers: the default pool."""
    if dialect != "sqlite":
        return await anyio.to_thread.run_sync(func, *args)
    limiter = _LIMITERS.get(dialect)
    if limiter is None:
        limiter = _LIMITERS[dialect] = anyio.CapacityLimiter(1)
    return await anyio.to_thread.run_sync(func, *args, limiter=limiter)


def writer(dialect: str) -> threading.Lock | _NoLock:
    """One submit at a time in this process on SQLite (it takes one writer anyway): threads queue on a lock
    instead of SQLite's busy handler, which sleeps in steps of up to 100 ms and made the p99 of 50 clients
    about a second. Other processes still meet ``busy_timeout``. PostgreSQL takes concurrent writers."""
    return _SQLITE_WRITER if dialect == "sqlite" else _NoLock()
