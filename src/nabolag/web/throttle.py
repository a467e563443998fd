"""Login rate limiting: failed sign-ins counted per username and per client address, in memory.

After ``limit`` failures within ``window`` seconds for either key, sign-in is refused (429) until
the oldest of them is older than the window. A success clears the username's count. The counts live
in this process only: with several workers the limit is per worker.
"""

from __future__ import annotations

import threading
import time
from collections import deque

MAX_FAILURES = 10
WINDOW_SECONDS = 15 * 60
MAX_KEYS = 50_000


class LoginThrottle:
    def __init__(self, limit: int = MAX_FAILURES, window: float = WINDOW_SECONDS) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def keys(username: str, address: str) -> tuple[str, str]:
        return "user:" + username.strip().lower(), "ip:" + address

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def wait_seconds(self, *keys: str) -> int:
        """Seconds until a sign-in is allowed again (0: allowed now)."""
        now = time.monotonic()
        with self._lock:
            waits = [times[0] + self.window - now for k in keys
                     if len(times := self._recent(k, now)) >= self.limit]
        return max(1, int(max(waits)) + 1) if waits else 0

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) >= MAX_KEYS:
                for k in list(self._failures):
                    self._recent(k, now)
                if len(self._failures) >= MAX_KEYS:  # still full: forget the oldest half
                    for k in list(self._failures)[: MAX_KEYS // 2]:
                        del self._failures[k]
            for k in keys:
                self._failures.setdefault(k, deque(maxlen=self.limit * 2)).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
