"""Shared helpers for the benchmarks: paths, machine description, worker subprocesses, results."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import itertools
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
WORK = BENCH_DIR / "work"
RESULTS = BENCH_DIR / "results"

PACKAGES = ("pandas", "sqlalchemy", "shapely", "numpy", "geopandas", "pyogrio", "pyproj", "alembic")


# --- machine ---------------------------------------------------------------

def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _cpu_model() -> str:
    for line in _read("/proc/cpuinfo").splitlines():
        if line.lower().startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _mem_total_gib() -> float | None:
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


def _os_name() -> str:
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip().strip('"')
    return platform.system()


def _filesystem_of(path: Path) -> str:
    """Filesystem type of the mount holding ``path`` (SQLite commit cost depends on it)."""
    best, fstype = "", "unknown"
    target = str(path.resolve())
    for line in _read("/proc/mounts").splitlines():
        parts = line.split()
        if len(parts) >= 3 and target.startswith(parts[1]) and len(parts[1]) > len(best):
            best, fstype = parts[1], parts[2]
    return fstype


def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10,
                              check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def load_average() -> list[str]:
    return _read("/proc/loadavg").split()[:3]


def machine_info() -> dict[str, object]:
    versions: dict[str, str] = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            versions[pkg] = "not installed"
    versions["sqlite (library)"] = sqlite3.sqlite_version
    try:
        import shapely
        versions["GEOS"] = shapely.geos_version_string
    except ImportError:  # pragma: no cover
        pass
    try:
        import pyogrio
        versions["GDAL"] = pyogrio.__gdal_version_string__
    except (ImportError, AttributeError):  # pragma: no cover
        pass
    try:
        versions["nabolag"] = importlib.metadata.version("nabolag")
    except importlib.metadata.PackageNotFoundError:
        pass
    src_dirty = bool(_git("status", "--porcelain", "--", "src"))
    src_diff = subprocess.run(["git", "diff", "HEAD", "--", "src"], cwd=ROOT, capture_output=True,
                              check=False).stdout if src_dirty else b""
    return {
        "cpu": _cpu_model(),
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_count": os.cpu_count(),
        "memory_gib": _mem_total_gib(),
        "os": _os_name(),
        "kernel": platform.release(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": versions,
        "work_dir_filesystem": _filesystem_of(WORK),
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "src_has_uncommitted_changes": src_dirty,
        "src_uncommitted_diff_sha1": hashlib.sha1(src_diff).hexdigest()[:12] if src_dirty else None,
        "load_average_1_5_15min": load_average(),
        "date": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
    }


def machine_markdown(m: dict[str, object]) -> str:
    pkgs = ", ".join(f"{k} {v}" for k, v in m["packages"].items())  # type: ignore[union-attr]
    dirty = (f" + uncommitted changes in src/ (diff sha1 {m.get('src_uncommitted_diff_sha1')}): the benchmark "
             "measures the working tree") if m.get("src_has_uncommitted_changes") else ""
    return "\n".join([
        "## Machine", "",
        f"- Date: {m['date']}",
        f"- CPU: {m['cpu']}",
        f"- nproc: {m['nproc']} (cpu_count {m['cpu_count']})",
        f"- Memory: {m['memory_gib']} GiB",
        f"- OS: {m['os']}, kernel {m['kernel']}",
        f"- Python: {m['python']}",
        f"- Packages: {pkgs}",
        f"- bench/work filesystem: {m['work_dir_filesystem']}",
        (f"- Load average (1/5/15 min) at start: {' '.join(m['load_average_1_5_15min'])}, at end: "
        f"{' '.join(m.get('load_average_at_end') or ['?'])} ({m['nproc']} cores: other work on the machine skews timings)"),
        f"- Repository commit: {m['git_commit']}{dirty}",
        "",
    ])


def log(message: str) -> None:
    print(message, flush=True)


# --- memory and time -------------------------------------------------------

def peak_rss_mib() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def current_rss_mib() -> float:
    for line in _read("/proc/self/status").splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


class Phases:
    """Records when each labelled step starts; use as nabolag's progress callback or call ``mark``."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.marks: list[tuple[str, float]] = []

    def mark(self, label: str, _fraction: float = 0.0) -> None:
        self.marks.append((label, time.perf_counter()))

    __call__ = mark

    def durations(self, end: float | None = None) -> dict[str, float]:
        """Seconds from each mark to the next (the last one to ``end``)."""
        end = end if end is not None else time.perf_counter()
        out: dict[str, float] = {}
        points = [*self.marks, ("", end)]
        for (label, start), (_next, stop) in itertools.pairwise(points):
            out[label] = round(out.get(label, 0.0) + stop - start, 3)
        return out


# --- workers ---------------------------------------------------------------

def fresh_sqlite(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def run_worker(module: str, side: str, args: list[str], timeout: float = 900,
               env: dict[str, str] | None = None) -> dict[str, object]:
    """Run ``python -m module --worker side ...`` in a fresh process (``env`` added to this one's
    environment); return the JSON it writes.

    Each side runs alone so its peak RSS is its own and caches start cold in Python.
    """
    out = WORK / f"{module.rsplit('.', 1)[-1]}.{side}.result.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", module, "--worker", side, "--out", str(out), *args]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, **env} if env else None)
    wall = time.perf_counter() - started
    if proc.returncode != 0 or not out.exists():
        raise RuntimeError(f"{' '.join(cmd)} failed with exit code {proc.returncode}:\n"
                           f"{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    result = json.loads(out.read_text(encoding="utf-8"))
    result["process_wall_seconds"] = round(wall, 3)
    return result


def write_worker_result(path: str, result: dict[str, object]) -> None:
    result["peak_rss_mib"] = peak_rss_mib()
    Path(path).write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")


def median(values: list[float]) -> float:
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


# --- profiling ---------------------------------------------------------------

def profiler_available(kind: str) -> str:
    """``kind``, or ``cprofile`` when pyinstrument is not installed (it is not a project dependency)."""
    if kind == "pyinstrument":
        try:
            import pyinstrument  # noqa: F401
        except ImportError:
            log("pyinstrument is not installed (pip install pyinstrument); using cProfile")
            return "cprofile"
    return kind


def start_profiler(kind: str | None) -> object:
    if not kind:
        return None
    if kind == "pyinstrument":
        from pyinstrument import Profiler

        prof = Profiler(interval=0.001)
        prof.start()
        return prof
    import cProfile

    prof = cProfile.Profile()
    prof.enable()
    return prof


def stop_profiler(prof: object, kind: str | None, name: str) -> None:
    """Full output in bench/work; a text summary in bench/results/<name>.profile.txt."""
    if prof is None:
        return
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if kind == "pyinstrument":
        prof.stop()  # type: ignore[attr-defined]
        text = prof.output_text(unicode=True, color=False, show_all=False)  # type: ignore[attr-defined]
        (WORK / f"{name}.pyinstrument.html").write_text(prof.output_html(), encoding="utf-8")  # type: ignore
    else:
        import io
        import pstats

        prof.disable()  # type: ignore[attr-defined]
        prof.dump_stats(str(WORK / f"{name}.cprofile"))  # type: ignore[attr-defined]
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)  # type: ignore[arg-type]
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(40)
        text = buf.getvalue()
    (RESULTS / f"{name}.profile.txt").write_text(relative(text), encoding="utf-8")


# --- results ---------------------------------------------------------------

def report_tail(d: dict[str, Any], *extra: str) -> list[str]:
    """The end every report shares: the overall verdict, ``extra`` lines, the load average after the run and
    the machine block (``d`` as :func:`finish` leaves it)."""
    return ["", f"Overall: **{verdict(bool(d['pass']))}**", "", *extra,
            f"Load average after: {', '.join(d['load_average_after'])}", "", machine_markdown(d["machine"])]


def finish(name: str, data: dict[str, Any], markdown: Callable[[dict[str, Any]], str]) -> dict[str, Any]:
    """The end every run shares: the load average after it (also in the machine block), the overall verdict
    from ``data["targets"]``, the JSON and Markdown results, and one log line."""
    data["load_average_after"] = load_average()
    data["machine"]["load_average_at_end"] = data["load_average_after"]
    data["pass"] = all(bool(t["pass"]) for t in data["targets"].values())
    _json, md = write_results(name, data, markdown(data))
    log(f"[{name}] {verdict(data['pass'])}; results in {relative(str(md))}")
    return data


def write_results(name: str, data: dict[str, object], markdown: str) -> tuple[Path, Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    jpath, mpath = RESULTS / f"{name}.json", RESULTS / f"{name}.md"
    jpath.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    mpath.write_text(markdown.rstrip() + "\n", encoding="utf-8")
    return jpath, mpath


def relative(text: str) -> str:
    """Drop the repository's absolute path from a message."""
    return text.replace(str(ROOT) + "/", "")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"
