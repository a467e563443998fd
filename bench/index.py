"""Benchmark C (issue 3): the composite index on 14,000 zones × 40 indicators × 20 years.

11.2 M observations. Three kinds of worker, each in its own subprocess so its peak RSS is its own:

- ``pure-real``: ``nabolag.analysis.composite.composite_index`` on a dense 14,000 × 40 matrix, for
  one period and for all 20 periods in a loop over a 20 × 14,000 × 40 array held in memory;
- ``pure-numpy``: a plain dense-numpy implementation of the same computation (argsort deciles or
  column z-scores, weighted mean, final decile and rank), timed the same way;
- ``store``: ``nabolag.services.index.compute_index`` for each of the 20 periods from a SQLite
  store holding all 11.2 M observations (read one period, pivot, compute, save the run).

The store is filled once (not timed) and reused while its row count and parameters match.

    python -m bench.index [--repeat N] [--profile]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench._common import (
    RESULTS,
    WORK,
    current_rss_mib,
    fresh_sqlite,
    load_average,
    log,
    machine_info,
    machine_markdown,
    median,
    profiler_available,
    run_worker,
    start_profiler,
    stop_profiler,
    verdict,
    write_results,
    write_worker_result,
)

NAME = "index"
PARAMS = {"zones": 14_000, "indicators": 40, "years": 20, "first_year": 2005, "seed": 20240503,
          "higher_is_better_every": 3}
NORMALISATIONS = ("decile-score", "zscore")
STORE_NORMALISATION = "decile-score"
TARGET_RATIO = 1.5
TARGET_RSS_MIB = round(3e9 / 2**20)  # 3 GB read as 3 × 10⁹ bytes (2,861 MiB), the stricter reading
TARGET_STORE_SECONDS = 30.0
ONE_PERIOD_CALLS = 15  # timed calls on one period in each pure worker; the median is reported
ALL_PERIOD_LOOPS = 3  # timed loops over all 20 periods in each pure worker; the median is reported

DB = WORK / "index.sqlite"
DB_META = WORK / "index.meta.json"
KOMMUNER = ("0301", "0219")  # two municipalities: 9,801 + 4,199 grunnkretser


# --- data ------------------------------------------------------------------

def zone_codes(n: int) -> list[str]:
    """8-digit grunnkrets codes with the leading zero: 03010101 … 03019999, then 02190101 …"""
    codes = [f"{k}{i // 99 + 1:02d}{i % 99 + 1:02d}" for k in KOMMUNER for i in range(99 * 99)]
    if n > len(codes):
        raise ValueError(f"at most {len(codes)} zones")
    return sorted(codes[:n])


def indicator_codes(n: int) -> list[str]:
    return [f"bench_idx_{i + 1:02d}" for i in range(n)]


def periods(params: dict[str, int] = PARAMS) -> list[str]:
    return [str(params["first_year"] + y) for y in range(params["years"])]


def higher_is_better(params: dict[str, int] = PARAMS):  # -> np.ndarray
    """Every third indicator is higher-is-better (employment-like), the rest lower-is-better."""
    import numpy as np

    every = params["higher_is_better_every"]
    return np.array([j % every == every - 1 for j in range(params["indicators"])])


def generate_values(params: dict[str, int] = PARAMS):  # -> np.ndarray
    """years × zones × indicators, one decimal (many ties, as in real shares and rates), no gaps.

    Each zone has a level per indicator (gamma) that drifts from year to year (lognormal noise).
    """
    import numpy as np

    rng = np.random.default_rng(params["seed"])
    nz, ni, ny = params["zones"], params["indicators"], params["years"]
    level = rng.gamma(2.0, 20.0, (nz, ni))
    drift = rng.lognormal(0.0, 0.15, (ny, nz, ni))
    return np.round(level[None, :, :] * drift, 1)


def spec_yaml(normalisation: str = STORE_NORMALISATION, params: dict[str, int] = PARAMS) -> str:
    comps = "\n".join(f"  - indicator: {c}\n    weight: 1" for c in indicator_codes(params["indicators"]))
    return (f"name: bench-{params['indicators']}\ntitle_nb: Benchmark-indeks\nnormalisation: {normalisation}\n"
            f"aggregation: arithmetic\nmax_missing: 0\nchallenged_score: 8\ncomponents:\n{comps}\n")


def _db_rows(db: Path) -> int:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM observation").fetchone()[0])


def store_ready(db: Path = DB, params: dict[str, int] = PARAMS) -> bool:
    """The database exists, was filled with these parameters, and holds every observation."""
    meta = {**params, "format": 1}
    if not (db.exists() and DB_META.exists()) or json.loads(DB_META.read_text(encoding="utf-8")) != meta:
        return False
    try:
        return _db_rows(db) == params["zones"] * params["indicators"] * params["years"]
    except sqlite3.Error:
        return False


def worker_setup(db: Path) -> dict[str, object]:
    """Define zones and indicators, then load the observations one indicator at a time.

    One indicator per ``load_frame`` call (280,000 rows, one transaction each) rather than one
    year: ``load_frame`` first reads every key already stored for the indicators it is given, so
    year by year the 20th call would reread 10.6 M keys; per indicator that set is empty.
    """
    import numpy as np
    import pandas as pd

    from nabolag.domain.indicators import Direction, Indicator
    from nabolag.domain.zones import Level, Zone
    from nabolag.services import Context
    from nabolag.services.indicators import define_indicators
    from nabolag.services.observations import load_frame
    from nabolag.services.zones import define_zones

    start = time.perf_counter()
    DB_META.unlink(missing_ok=True)
    fresh_sqlite(db)
    ctx = Context.open(f"sqlite:///{db}")
    zones, inds, years = zone_codes(PARAMS["zones"]), indicator_codes(PARAMS["indicators"]), periods()
    hib = higher_is_better()
    define_zones(ctx, [Zone(code=c, name=f"Grunnkrets {c}", level=Level.GRUNNKRETS) for c in zones])
    define_indicators(ctx, [Indicator(code=c, name_nb=f"Indikator {c}",
                                      direction=Direction.HIGHER_IS_BETTER if hib[j] else Direction.LOWER_IS_BETTER)
                            for j, c in enumerate(inds)])
    values = generate_values()  # years × zones × indicators
    nz, ny = len(zones), len(years)
    zone_col = np.repeat(np.array(zones, dtype=object), ny)
    period_col = np.tile(np.array(years, dtype=object), nz)
    for j, code in enumerate(inds):
        frame = pd.DataFrame({"zone": zone_col, "indicator": code, "period": period_col,
                              "value": values[:, :, j].T.reshape(-1)})  # zone-major, then period
        report = load_frame(ctx, frame, file_name=f"bench-{code}")
        if not report.ok:
            raise RuntimeError(f"load_frame failed for {code}")
        log(f"[{NAME}]   loaded {code} ({j + 1}/{len(inds)}, {time.perf_counter() - start:.0f} s)")
    ctx.close()
    rows = _db_rows(db)
    DB_META.write_text(json.dumps({**PARAMS, "format": 1}), encoding="utf-8")
    return {"seconds": round(time.perf_counter() - start, 1), "rows_in_db": rows,
            "db_bytes": db.stat().st_size}


# --- the plain dense-numpy implementation ------------------------------------

def numpy_deciles(x, weights_per_zone=None):  # (np.ndarray) -> np.ndarray
    """Decile score of each column of a dense matrix (higher value = more problems).

    ``ceil(10 · share of zones at or below)``; tied values share the score of the end of their
    group. Sort each column once (argsort along axis 0), find the end of every tie group with a
    reversed running minimum, and scatter the scores back. The sort need not be stable: every
    member of a tie group gets the group's score, so the order inside the group does not matter.
    """
    import numpy as np

    x = x.reshape(x.shape[0], -1)
    n = x.shape[0]
    order = np.argsort(x, axis=0)
    s = np.take_along_axis(x, order, axis=0)
    end_of_tie = np.empty(s.shape, dtype=bool)
    end_of_tie[-1] = True
    np.not_equal(s[1:], s[:-1], out=end_of_tie[:-1])
    pos = np.where(end_of_tie, np.arange(n)[:, None], n)
    last = np.minimum.accumulate(pos[::-1], axis=0)[::-1]  # index of the end of each tie group
    scores_sorted = np.clip(np.ceil(np.round(10 * (last + 1) / n, 9)), 1, 10)
    out = np.empty(x.shape)
    np.put_along_axis(out, order, scores_sorted, axis=0)
    return out


def numpy_index(values, hib, weights, normalisation: str):  # -> tuple of np.ndarray
    """The whole index for one period on a dense zones × components matrix with no gaps.

    Returns (index, score, rank, contributions), as ``composite_index`` does for complete data.
    """
    import numpy as np

    oriented = np.where(hib, -values, values)  # higher = more problems
    if normalisation == "decile-score":
        normalised = numpy_deciles(oriented)
    elif normalisation == "zscore":
        normalised = (oriented - oriented.mean(axis=0)) / oriented.std(axis=0)  # population sd
    else:
        raise ValueError(normalisation)
    share = weights / weights.sum()
    contributions = normalised * share
    index = contributions.sum(axis=1)
    score = numpy_deciles(index)[:, 0]
    neg = -index
    rank = np.searchsorted(np.sort(neg), neg, side="left") + 1.0  # 1 = most problems, ties share
    return index, score, rank, contributions


def nabolag_index(values, hib, weights, normalisation: str):  # -> tuple of np.ndarray
    from nabolag.analysis.composite import composite_index

    r = composite_index(values, hib, weights, normalisation=normalisation)
    return r.index, r.score, r.rank, r.contributions


# --- worker: pure computation ------------------------------------------------

def worker_pure(side: str, normalisation: str, profile: str | None) -> dict[str, object]:
    import gc

    import numpy as np

    fn: Callable[..., tuple] = nabolag_index if side == "pure-real" else numpy_index
    if side == "pure-real":
        import nabolag.analysis.composite  # noqa: F401  (imported before timing)
    values = generate_values()  # 20 × 14,000 × 40, held in memory
    hib = higher_is_better()
    weights = np.ones(values.shape[2])
    gc.collect()
    rss_before = current_rss_mib()
    fn(values[-1], hib, weights, normalisation)  # warm-up, not timed
    one = []
    for _ in range(ONE_PERIOD_CALLS):
        t = time.perf_counter()
        fn(values[-1], hib, weights, normalisation)
        one.append(time.perf_counter() - t)
    loops, results = [], []
    for _ in range(ALL_PERIOD_LOOPS):
        results = []
        t = time.perf_counter()
        for p in range(values.shape[0]):
            results.append(fn(values[p], hib, weights, normalisation))  # all 20 results are kept
        loops.append(time.perf_counter() - t)
    profiler = start_profiler(profile)
    if profiler is not None:
        for _ in range(5):
            for p in range(values.shape[0]):
                fn(values[p], hib, weights, normalisation)
        stop_profiler(profiler, profile, f"{NAME}.{side}.{normalisation}")
    out = WORK / f"{NAME}.{side}.{normalisation}.npz"
    np.savez(out, index=np.stack([r[0] for r in results]), score=np.stack([r[1] for r in results]),
             rank=np.stack([r[2] for r in results]), contributions=np.stack([r[3] for r in results]),
             zones=np.array(zone_codes(PARAMS["zones"])))
    return {"one_period_seconds": round(median(one), 5), "one_period_min_seconds": round(min(one), 5),
            "one_period_calls": len(one), "all_periods_seconds": round(median(loops), 4),
            "all_periods_runs": [round(x, 4) for x in loops], "rss_before_mib": rss_before,
            "array_mib": round(values.nbytes / 2**20, 1), "output": str(out.relative_to(WORK.parent.parent))}


# --- worker: through the store -------------------------------------------------

class _Timers:
    """Wraps functions compute_index calls, to split each call's time into phases."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, owner: object, attr: str, label: str) -> None:
        inner = getattr(owner, attr)

        @functools.wraps(inner)
        def timed(*args: object, **kwargs: object) -> object:
            t = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - t

        setattr(owner, attr, timed)

    @contextlib.contextmanager
    def reset(self) -> Iterator[dict[str, float]]:
        self.seconds = {}
        yield self.seconds


STORE_PHASES = ("observations.period_values (SQL read into arrays)", "component_matrix (read + place by position)",
                "composite_index", "_save (spec version, run and 14,000 values)")


def worker_store(db: Path, profile: str | None) -> dict[str, object]:
    import gc

    import numpy as np

    import nabolag.services.index as index_service
    import nabolag.store.observations as obs_repo
    from nabolag.ingest.index_spec import parse_spec
    from nabolag.services import Context

    # earlier benchmark runs stay in index_run/index_value; remove them so every run saves into the same state
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("DELETE FROM index_value WHERE run_id IN (SELECT r.id FROM index_run r JOIN index_spec s "
                     "ON s.id = r.spec_id WHERE s.name LIKE 'bench-%')")
        conn.execute("DELETE FROM index_run WHERE spec_id IN (SELECT id FROM index_spec WHERE name LIKE 'bench-%')")
    timers = _Timers()
    timers.wrap(obs_repo, "period_values", STORE_PHASES[0])
    timers.wrap(index_service, "component_matrix", STORE_PHASES[1])
    timers.wrap(index_service, "composite_index", STORE_PHASES[2])
    timers.wrap(index_service, "_save", STORE_PHASES[3])
    ctx = Context.open(f"sqlite:///{db}")
    spec = parse_spec(spec_yaml(STORE_NORMALISATION), "bench")
    years = periods()
    gc.collect()
    rss_before = current_rss_mib()
    per_call, phases, tables = [], [], []
    profiler = start_profiler(profile)
    for period in years:
        with timers.reset() as split:
            t = time.perf_counter()
            table = index_service.compute_index(ctx, spec, period, level="grunnkrets", save=True)
            seconds = time.perf_counter() - t
        per_call.append(round(seconds, 3))
        phases.append({k: round(v, 3) for k, v in split.items()})
        tables.append(table)
    stop_profiler(profiler, profile, f"{NAME}.store")
    ctx.close()
    codes = np.array(tables[0].frame["code"].tolist())
    if any(t.frame["code"].tolist() != codes.tolist() for t in tables):
        raise RuntimeError("zone order differs between periods")
    out = WORK / f"{NAME}.store.npz"
    np.savez(out, index=np.stack([t.frame["value"].to_numpy(float) for t in tables]),
             score=np.stack([t.frame["score"].to_numpy(float) for t in tables]),
             rank=np.stack([t.frame["rank"].to_numpy(float) for t in tables]),
             contrib_first=np.stack([t.frame[f"bidrag:{spec.components[0].indicator}"].to_numpy(float)
                                     for t in tables]),
             zones=codes, versions=np.array([t.version for t in tables]))
    totals = {label: round(sum(p.get(label, 0.0) for p in phases), 3) for label in STORE_PHASES}
    return {"seconds": round(sum(per_call), 3), "per_call_seconds": per_call, "phases_total": totals,
            "rss_before_mib": rss_before, "zones_per_period": len(codes), "normalisation": STORE_NORMALISATION,
            "spec_versions": sorted({t.version for t in tables}), "output": str(out.relative_to(WORK.parent.parent))}


# --- driver ------------------------------------------------------------------

def _check(store_ran: bool) -> dict[str, object]:
    """Compare what the workers computed: nabolag vs numpy, and the store vs the pure computation."""
    import numpy as np

    checks: dict[str, object] = {}
    for normalisation in NORMALISATIONS:
        real = np.load(WORK / f"{NAME}.pure-real.{normalisation}.npz")
        base = np.load(WORK / f"{NAME}.pure-numpy.{normalisation}.npz")
        checks[f"pure {normalisation}: nabolag = numpy"] = {
            "index_allclose": bool(np.allclose(real["index"], base["index"], rtol=1e-12, atol=1e-12)),
            "index_max_abs_diff": float(np.max(np.abs(real["index"] - base["index"]))),
            "score_equal": bool(np.array_equal(real["score"], base["score"])),
            "rank_equal": bool(np.array_equal(real["rank"], base["rank"])),
            "contributions_allclose": bool(np.allclose(real["contributions"], base["contributions"],
                                                       rtol=1e-12, atol=1e-12)),
            "finite_index_values": int(np.isfinite(real["index"]).sum()),
            "distinct_scores": sorted({int(s) for s in np.unique(real["score"])}),
        }
    if store_ran:
        pure = np.load(WORK / f"{NAME}.pure-real.{STORE_NORMALISATION}.npz")
        store = np.load(WORK / f"{NAME}.store.npz")
        pos = {c: i for i, c in enumerate(pure["zones"].tolist())}
        idx = np.array([pos[c] for c in store["zones"].tolist()])
        p_index, p_score, p_rank = pure["index"][:, idx], pure["score"][:, idx], pure["rank"][:, idx]
        p_contrib = pure["contributions"][:, idx, 0]
        years = periods()
        zone, year = store["zones"][0], len(years) - 1
        checks[f"store {STORE_NORMALISATION}: compute_index = pure composite_index"] = {
            "zones": int(len(idx)),
            "value_equal_rounded_4": bool(np.array_equal(store["index"], np.round(p_index, 4))),
            "score_equal": bool(np.array_equal(store["score"], p_score)),
            "rank_equal": bool(np.array_equal(store["rank"], p_rank)),
            "contribution_first_component_equal_rounded_4": bool(np.array_equal(store["contrib_first"],
                                                                                np.round(p_contrib, 4))),
            "spot": {"zone": str(zone), "period": years[year],
                     "store": {"value": float(store["index"][year, 0]), "score": float(store["score"][year, 0]),
                               "rank": float(store["rank"][year, 0])},
                     "pure": {"index": float(p_index[year, 0]), "score": float(p_score[year, 0]),
                              "rank": float(p_rank[year, 0])}},
        }
    return checks


def _all_true(d: dict[str, object]) -> bool:
    return all(v for k, v in d.items() if isinstance(v, bool))


def run(repeat: int = 1, profile: str | None = None) -> dict[str, object]:
    n_obs = PARAMS["zones"] * PARAMS["indicators"] * PARAMS["years"]
    if store_ready():
        log(f"[{NAME}] reusing {DB} ({n_obs:,} observations)")
        setup = {"reused": True, "db_bytes": DB.stat().st_size}
    else:
        log(f"[{NAME}] loading {n_obs:,} observations into {DB} (not timed; once, takes a few minutes) …")
        setup = {"reused": False, **run_worker(f"bench.{NAME}", "setup", ["--db", str(DB)], timeout=7200)}
        log(f"[{NAME}]   loaded in {setup['seconds']} s")
    machine = machine_info()
    pure: dict[str, dict[str, list[dict[str, object]]]] = {n: {"pure-real": [], "pure-numpy": []}
                                                             for n in NORMALISATIONS}
    store_runs: list[dict[str, object]] = []
    for i in range(repeat):
        for normalisation in NORMALISATIONS:
            for side in ("pure-numpy", "pure-real"):
                log(f"[{NAME}] run {i + 1}/{repeat}: {side} {normalisation} …")
                r = run_worker(f"bench.{NAME}", side, ["--normalisation", normalisation])
                pure[normalisation][side].append(r)
                log(f"[{NAME}]   one period {r['one_period_seconds'] * 1000:.1f} ms, 20 periods "
                    f"{r['all_periods_seconds']:.3f} s, peak RSS {r['peak_rss_mib']} MiB")
        log(f"[{NAME}] run {i + 1}/{repeat}: store, compute_index × {PARAMS['years']} periods …")
        store_runs.append(run_worker(f"bench.{NAME}", "store", ["--db", str(DB)], timeout=3600))
        log(f"[{NAME}]   store {store_runs[-1]['seconds']:.2f} s, peak RSS {store_runs[-1]['peak_rss_mib']} MiB")
    checks = _check(store_ran=True)

    summary: dict[str, dict[str, object]] = {}
    for normalisation in NORMALISATIONS:
        real, base = pure[normalisation]["pure-real"], pure[normalisation]["pure-numpy"]
        summary[normalisation] = {
            "real_one_period_s": median([float(r["one_period_seconds"]) for r in real]),
            "numpy_one_period_s": median([float(r["one_period_seconds"]) for r in base]),
            "real_all_periods_s": median([float(r["all_periods_seconds"]) for r in real]),
            "numpy_all_periods_s": median([float(r["all_periods_seconds"]) for r in base]),
            "real_peak_rss_mib": max(float(r["peak_rss_mib"]) for r in real),
            "numpy_peak_rss_mib": max(float(r["peak_rss_mib"]) for r in base),
        }
        s = summary[normalisation]
        s["ratio_one_period"] = round(s["real_one_period_s"] / s["numpy_one_period_s"], 2)  # type: ignore[operator]
        s["ratio_all_periods"] = round(s["real_all_periods_s"] / s["numpy_all_periods_s"], 2)  # type: ignore[operator]
        s["ratio_all_periods_per_run"] = [round(float(a["all_periods_seconds"]) / float(b["all_periods_seconds"]), 2)
                                          for a, b in zip(real, base, strict=True)]
    store_s = median([float(r["seconds"]) for r in store_runs])
    store_rss = max(float(r["peak_rss_mib"]) for r in store_runs)
    pure_rss = max(float(s["real_peak_rss_mib"]) for s in summary.values())  # type: ignore[arg-type]
    targets: dict[str, dict[str, object]] = {}
    for normalisation in NORMALISATIONS:
        ratio = float(summary[normalisation]["ratio_all_periods"])  # type: ignore[arg-type]
        targets[f"ratio {normalisation}"] = {"target": TARGET_RATIO, "measured": ratio, "pass": ratio <= TARGET_RATIO}
    targets["pure peak RSS MiB"] = {"target": TARGET_RSS_MIB, "measured": pure_rss, "pass": pure_rss < TARGET_RSS_MIB}
    targets["store+compute s"] = {"target": TARGET_STORE_SECONDS, "measured": round(store_s, 2),
                                  "pass": store_s < TARGET_STORE_SECONDS}
    targets["store peak RSS MiB"] = {"target": TARGET_RSS_MIB, "measured": store_rss,
                                     "pass": store_rss < TARGET_RSS_MIB}
    same = all(_all_true(c) for c in checks.values())  # type: ignore[arg-type]
    targets["same results"] = {"target": True, "measured": same, "pass": same}
    result: dict[str, object] = {
        "name": NAME,
        "machine": {**machine, "load_average_at_end": load_average()},
        "params": {**PARAMS, "observations": n_obs, "periods": periods(), "repeat": repeat,
                   "store_normalisation": STORE_NORMALISATION, "one_period_calls": ONE_PERIOD_CALLS,
                   "all_period_loops": ALL_PERIOD_LOOPS, "database": "SQLite file in bench/work (WAL)",
                   "higher_is_better_indicators": int(higher_is_better().sum()), "weights": "all 1",
                   "sensitivity_runs": 0},
        "setup": setup,
        "pure": summary,
        "pure_runs": pure,
        "store": {"seconds_median": round(store_s, 3), "runs": store_runs},
        "checks": checks,
        "targets": targets,
    }
    if profile:
        profile = profiler_available(profile)
        log(f"[{NAME}] profiling with {profile}: store run and pure nabolag runs …")
        run_worker(f"bench.{NAME}", "store", ["--db", str(DB), "--profile", profile], timeout=3600)
        for normalisation in NORMALISATIONS:
            run_worker(f"bench.{NAME}", "pure-real", ["--normalisation", normalisation, "--profile", profile])
        result["profile_output"] = [f"bench/results/{NAME}.store.profile.txt"] + [
            f"bench/results/{NAME}.pure-real.{n}.profile.txt" for n in NORMALISATIONS]
    result["pass"] = all(bool(t["pass"]) for t in targets.values())
    write_results(NAME, result, markdown(result))
    log(f"[{NAME}] ratio decile {summary['decile-score']['ratio_all_periods']}, zscore "
        f"{summary['zscore']['ratio_all_periods']}, store {store_s:.2f} s -> {verdict(bool(result['pass']))}; "
        f"results in {RESULTS / (NAME + '.md')}")
    return result


def markdown(r: dict[str, object]) -> str:
    p, t, s = r["params"], r["targets"], r["pure"]
    store = r["store"]
    sl = store["runs"][-1]  # type: ignore[index]
    lines = [
        f"# Benchmark: {NAME}", "",
        (f"Composite index (issue 3) on {p['zones']:,} grunnkrets zones × {p['indicators']} indicators × "
         f"{p['years']} years = {p['observations']:,} observations (values with one decimal, many ties, no gaps; "
         f"{p['higher_is_better_indicators']} indicators higher-is-better; weights {p['weights']}; sensitivity off). "
         f"Median of {p['repeat']} run(s); each side in its own process."), "",
        "## Pure computation (arrays in memory)", "",
        (f"`composite_index` vs a plain dense-numpy implementation of the same computation. One period: median of "
         f"{p['one_period_calls']} calls on a {p['zones']:,} × {p['indicators']} matrix. 20 periods: median of "
         f"{p['all_period_loops']} loops over a {p['years']} × {p['zones']:,} × {p['indicators']} array "
         "(all 20 results kept)."), "",
        "| normalisation | side | one period (ms) | 20 periods (s) | peak RSS (MiB) |", "|---|---|---:|---:|---:|",
    ]
    for n, v in s.items():  # type: ignore[union-attr]
        lines.append(f"| {n} | nabolag `composite_index` | {v['real_one_period_s'] * 1000:.1f} | "
                     f"{v['real_all_periods_s']:.3f} | {v['real_peak_rss_mib']} |")
        lines.append(f"| {n} | dense numpy | {v['numpy_one_period_s'] * 1000:.1f} | "
                     f"{v['numpy_all_periods_s']:.3f} | {v['numpy_peak_rss_mib']} |")
        lines.append(f"| {n} | **ratio** | {v['ratio_one_period']:.2f} | **{v['ratio_all_periods']:.2f}** | |")
    lines += [
        "", "## Through the store", "",
        (f"`compute_index(ctx, spec, period, level=\"grunnkrets\", save=True)` for each of the {p['years']} "
         f"periods, {p['store_normalisation']}, from the SQLite store holding all {p['observations']:,} "
         "observations; the time is the sum of the 20 calls (each reads one period's 560,000 observations into arrays, "
         "places them by position, computes and saves the run with 14,000 values)."), "",
        f"- Sum of 20 calls: **{store['seconds_median']:.2f} s** (median; all runs: "  # type: ignore[index]
        f"{[x['seconds'] for x in store['runs']]} s), peak RSS {sl['peak_rss_mib']} MiB, "  # type: ignore[index]
        f"RSS before the first call {sl['rss_before_mib']} MiB",
        f"- Per call (last run, s): {sl['per_call_seconds']}", "",
        "Where the time goes (last run, sum over the 20 calls; component_matrix includes the read):", "",
        "| step | seconds |", "|---|---:|",
    ]
    phases = dict(sl["phases_total"])
    for label, sec in phases.items():
        lines.append(f"| {label} | {sec:.2f} |")
    other = float(sl["seconds"]) - phases[STORE_PHASES[1]] - phases[STORE_PHASES[2]] - phases[STORE_PHASES[3]]
    lines.append(f"| rest of compute_index (indicator list, zone list, result frame, per-component deciles) | "
                 f"{other:.2f} |")
    lines += [
        "", "## Targets", "", "| target | measured | result |", "|---|---:|---|",
    ]
    for n in s:  # type: ignore[union-attr]
        tt = t[f"ratio {n}"]
        lines.append(f"| {n}: composite_index within {tt['target']}× dense numpy (20 periods) | "
                     f"{tt['measured']:.2f}× | {verdict(tt['pass'])} |")
    for key, label in (("pure peak RSS MiB", "pure, 20 periods in memory: peak RSS < 3 GB"),
                       ("store peak RSS MiB", "store + compute: peak RSS < 3 GB")):
        lines.append(f"| {label} ({t[key]['target']:,} MiB) | {t[key]['measured']:,.0f} MiB | "
                     f"{verdict(t[key]['pass'])} |")
    ts = t["store+compute s"]
    lines.append(f"| store + compute, 20 periods < {ts['target']:.0f} s | {ts['measured']:.2f} s | "
                 f"{verdict(ts['pass'])} |")
    lines.append(f"| same results (checks below) | {t['same results']['measured']} | "
                 f"{verdict(t['same results']['pass'])} |")
    lines += ["", f"Overall: **{verdict(bool(r['pass']))}**", ""]
    if r.get("profile_output"):
        lines += ["Profiles of extra runs: " + ", ".join(f"`{x}`" for x in r["profile_output"]), ""]  # type: ignore
    lines += ["## Checks", ""]
    for label, c in r["checks"].items():  # type: ignore[union-attr]
        lines.append(f"- {label}: {c}")
    setup = r["setup"]
    lines += ["", (f"Store: `bench/work/index.sqlite`, {setup['db_bytes'] / 1e9:.2f} GB; "  # type: ignore[index]
                   + ("reused from an earlier run." if setup["reused"] else  # type: ignore[index]
                      f"filled in this run in {setup['seconds']} s (40 `load_frame` calls, one per indicator)."))]
    if len(store["runs"]) > 1:  # type: ignore[arg-type]
        lines += ["", "Ratios per run (20 periods): " + ", ".join(
            f"{n} {v['ratio_all_periods_per_run']}" for n, v in s.items()) + ".",  # type: ignore[union-attr]
            f"Timings on this {r['machine']['nproc']}-core machine vary with other work (see load average below)."]
    lines += ["", machine_markdown(r["machine"])]  # type: ignore[arg-type]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog=f"python -m bench.{NAME}", description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=1, help="runs per side; the median is reported")
    ap.add_argument("--profile", nargs="?", const="pyinstrument", choices=["pyinstrument", "cprofile"],
                    help="also profile one extra store run and one pure nabolag run per normalisation (summary in "
                         "bench/results/index.*.profile.txt, full output in bench/work)")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    ap.add_argument("--worker", choices=["setup", "pure-real", "pure-numpy", "store"], help=argparse.SUPPRESS)
    ap.add_argument("--normalisation", choices=NORMALISATIONS, help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker == "setup":
        write_worker_result(args.out, worker_setup(args.db))
        return 0
    if args.worker in ("pure-real", "pure-numpy"):
        write_worker_result(args.out, worker_pure(args.worker, args.normalisation, args.profile))
        return 0
    if args.worker == "store":
        write_worker_result(args.out, worker_store(args.db, args.profile))
        return 0
    result = run(repeat=args.repeat, profile=args.profile)
    return 1 if args.strict and not result["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
