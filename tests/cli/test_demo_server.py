"""`nabolag demo` (what `make demo` runs) builds the database and serves it at the printed address."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(bool(os.environ.get("NABOLAG_TEST_DATABASE_URL")),
                    reason="`make demo` runs on SQLite whatever the test database: tested in the SQLite pass")
def test_demo_serves_on_printed_address(tmp_path: Path) -> None:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "nabolag.cli", "--database", f"sqlite:///{tmp_path/'d.sqlite'}",
                             "demo", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        address = None
        deadline = time.time() + 180  # the demo build and its four PDF reports come before the address
        assert proc.stdout is not None
        while time.time() < deadline and address is None:
            line = proc.stdout.readline()
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            address = m.group(1) if m else None
        assert address == f"http://127.0.0.1:{port}/"
        body = ""
        while time.time() < deadline:
            try:
                body = urllib.request.urlopen(address + "zones/0301101001", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "Ammerud" in body and "Syntetiske demodata" in body
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
