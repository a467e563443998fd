"""Walking access (issue 8): the whole computation vs a bare scipy multi-source Dijkstra and networkx.

A generated 500 × 400 street grid (200,000 nodes, ~80 m blocks with jitter, 5 % of street segments
missing), three facility kinds (100, 500, 2,000 facilities), 500,000 person points in 14,000 zones and a
2 km cap. Each side runs in its own process (peak RSS of its own); data generation is not timed. The
floor is scipy's Dijkstra on a CSR matrix holding each edge both ways, searched as directed (as nabolag
does); ``bare-undirected`` is the same with ``directed=False``, the floor before 2026-12. The workers run
with ``OPENBLAS_NUM_THREADS=1`` (no side uses BLAS; its idle threads only spun).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from bench._common import (
    finish,
    log,
    machine_info,
    median,
    report_tail,
    run_worker,
    verdict,
    write_worker_result,
)

NAME = "access"
PARAMS = {"nx": 500, "ny": 400, "spacing_m": 80, "people": 500_000, "zones_x": 140, "zones_y": 100,
          "cap_m": 2000, "kinds": {"park": 100, "playground": 500, "sports": 2000}, "seed": 8}
TARGET_RATIO = 1.3
TARGET_RSS_MIB = 2048
EXPECTED_NX_FACTOR = 10


def generate(p: dict = PARAMS) -> dict[str, object]:
    rng = np.random.default_rng(p["seed"])
    nx_, ny_, s = p["nx"], p["ny"], p["spacing_m"]
    gx, gy = np.meshgrid(np.arange(nx_) * s, np.arange(ny_) * s, indexing="ij")
    xy = np.column_stack([gx.ravel(), gy.ravel()]) + rng.uniform(-10, 10, size=(nx_ * ny_, 2))
    ids = np.arange(nx_ * ny_).reshape(nx_, ny_)
    u = np.concatenate([ids[:-1, :].ravel(), ids[:, :-1].ravel()])
    v = np.concatenate([ids[1:, :].ravel(), ids[:, 1:].ravel()])
    keep = rng.random(len(u)) > 0.05
    u, v = u[keep], v[keep]
    length = np.hypot(*(xy[u] - xy[v]).T) * rng.uniform(1.0, 1.15, size=len(u))  # streets bend a little
    facilities = {k: rng.choice(len(xy), size=n, replace=False) for k, n in p["kinds"].items()}
    extent = xy.max(axis=0)
    people = rng.uniform([0, 0], extent, size=(p["people"], 2))
    weight = rng.integers(1, 5, size=p["people"]).astype(float)
    zx = np.minimum((people[:, 0] / extent[0] * p["zones_x"]).astype(np.int64), p["zones_x"] - 1)
    zy = np.minimum((people[:, 1] / extent[1] * p["zones_y"]).astype(np.int64), p["zones_y"] - 1)
    return {"xy": xy, "u": u, "v": v, "length": length, "facilities": facilities, "people": people,
            "weight": weight, "zone": zx * p["zones_y"] + zy}


def worker_real(d: dict[str, object], p: dict = PARAMS) -> dict[str, object]:
    """nabolag's computation: arrays → graph, snapping, facility nodes, distances, zone summary, equity.

    The people are snapped in a worker thread (:class:`SnapInBackground`): it orders them while this
    thread builds the graph and the tree, and searches the tree while the Dijkstras run."""
    import shapely

    from nabolag.analysis.access import SnapInBackground, between_zones
    from nabolag.analysis.access_network import graph_matrix
    from nabolag.analysis.access_run import facility_sources, run_kinds
    from nabolag.analysis.nearest import NodeIndex

    xy = d["xy"]
    offsets = {k: xy[idx] + 0.5 for k, idx in d["facilities"].items()}  # type: ignore[union-attr]
    geoms = {k: shapely.points(o) for k, o in offsets.items()}
    n_zones = p["zones_x"] * p["zones_y"]
    t: dict[str, float] = {}
    marks: list[float] = []
    cpu, start = time.process_time(), time.perf_counter()
    snapping = SnapInBackground(d["people"], max_distance=500)  # type: ignore[arg-type]  # the service's 500 m bound
    s = time.perf_counter()
    index = NodeIndex(xy)
    snapping.search(index)
    t["KD-tree"] = time.perf_counter() - s
    s = time.perf_counter()
    graph = graph_matrix(len(xy), d["u"], d["v"], d["length"])  # type: ignore[arg-type]
    t["network to arrays"] = time.perf_counter() - s
    s = time.perf_counter()
    sources = {k: facility_sources(xy, index, g, 500, 25)[0] for k, g in geoms.items()}  # type: ignore[arg-type]
    t["facility nodes"] = time.perf_counter() - s
    s = time.perf_counter()
    snapping.wait_searching()
    t["waiting for the people's search to start"] = time.perf_counter() - s
    marks.append(time.perf_counter())

    def people() -> tuple[np.ndarray, np.ndarray]:
        marks.append(time.perf_counter())
        out = snapping()
        marks.append(time.perf_counter())
        return out
    results = run_kinds(graph, people, d["weight"], d["zone"], n_zones, sources, p["cap_m"],  # type: ignore[arg-type]
                        (300, 500, 1000), step=lambda _kind: marks.append(time.perf_counter()))
    marks.append(time.perf_counter())
    for i, kind in enumerate(sources):
        t[f"Dijkstra {kind}"] = marks[i + 1] - marks[i]
    t["waiting for the snapping, put back in the people's order"] = marks[-2] - marks[-3]
    t["person distances and zone summary"] = marks[-1] - marks[-2]
    s = time.perf_counter()
    equity = {k: between_zones(z.mean_m, z.population, True) for k, (_d, z) in results.items()}
    t["equity"] = time.perf_counter() - s
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    check = {k: [int(np.isfinite(dist).sum()), round(float(np.nansum(np.where(np.isfinite(dist), dist, 0))), 1)]
             for k, (dist, _z) in results.items()}
    return {"seconds": round(total, 3), "cpu_seconds": round(cpu, 3), "phases": {k: round(v, 3) for k, v in t.items()},
            "check": check,
            "equity": equity, "sources": {k: int(len(v)) for k, v in sources.items()}}


def worker_bare(d: dict[str, object], p: dict = PARAMS, directed: bool = True) -> dict[str, object]:
    """The floor: a CSR matrix from the same arrays and one multi-source Dijkstra per kind.

    Each edge is stored in both directions. ``directed=True`` (as nabolag searches it) is the floor of the
    target; the side ``bare-undirected`` passes ``directed=False`` instead, which makes scipy build and
    walk the matrix's transpose as well: the floor until 2026-12, kept to compare with earlier results."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    n = len(d["xy"])  # type: ignore[arg-type]
    cpu, start = time.process_time(), time.perf_counter()
    a = np.concatenate([d["u"], d["v"]])  # type: ignore[list-item]
    b = np.concatenate([d["v"], d["u"]])  # type: ignore[list-item]
    graph = csr_matrix((np.concatenate([d["length"], d["length"]]), (a, b)), shape=(n, n))  # type: ignore[list-item]
    per_kind = {}
    for kind, src in d["facilities"].items():  # type: ignore[union-attr]
        s = time.perf_counter()
        dijkstra(graph, directed=directed, indices=np.unique(src), min_only=True, limit=p["cap_m"])
        per_kind[kind] = round(time.perf_counter() - s, 3)
    return {"seconds": round(time.perf_counter() - start, 3), "cpu_seconds": round(time.process_time() - cpu, 3),
            "per_kind": per_kind, "directed": directed}


def worker_networkx(d: dict[str, object], p: dict = PARAMS) -> dict[str, object]:
    """networkx on the same arrays, one kind (the 100-facility one): the graph build and the search."""
    import networkx as nx

    kind = min(p["kinds"], key=p["kinds"].get)
    start = time.perf_counter()
    g = nx.Graph()
    g.add_weighted_edges_from(zip(d["u"].tolist(), d["v"].tolist(), d["length"].tolist(), strict=True))  # type: ignore[union-attr]
    built = time.perf_counter() - start
    s = time.perf_counter()
    found = nx.multi_source_dijkstra_path_length(g, set(d["facilities"][kind].tolist()), cutoff=p["cap_m"])  # type: ignore[index]
    search = time.perf_counter() - s
    return {"kind": kind, "build_seconds": round(built, 3), "search_seconds": round(search, 3),
            "seconds": round(built + search, 3), "reached": len(found)}


SIDES = ("real", "bare", "bare-undirected", "networkx")
WORKER_ENV = {"OPENBLAS_NUM_THREADS": "1"}
"""No side uses BLAS, but in a fresh process OpenBLAS's idle threads spun about 0.05 CPU-seconds during
the first sparse-matrix call on either side, competing with the work on 2 cores (measured 2026-12-07)."""


def run(repeat: int = 1, profile: str | None = None) -> dict[str, object]:
    log(f"== {NAME}: 200,000-node grid, 3 kinds, 500,000 people, 14,000 zones, 2 km cap ==")
    machine = machine_info()  # before the runs: the load average at the start, and what was measured
    runs: dict[str, list[dict]] = {side: [] for side in SIDES}
    for _ in range(max(1, repeat)):  # the sides take turns, so a change of load hits them alike
        for side in SIDES:
            runs[side].append(run_worker(f"bench.{NAME}", side, [], timeout=3600, env=WORKER_ENV))
    med = {side: sorted(rs, key=lambda r: r["seconds"])[len(rs) // 2] for side, rs in runs.items()}
    real, bare, undirected, nxr = med["real"], med["bare"], med["bare-undirected"], med["networkx"]
    ratio = round(real["seconds"] / bare["seconds"], 2)
    nx_factor = round(nxr["search_seconds"] / bare["per_kind"][nxr["kind"]], 1)
    rss = max(r["peak_rss_mib"] for r in runs["real"])
    targets = {
        "whole / bare scipy": {"target": TARGET_RATIO, "measured": ratio, "pass": ratio <= TARGET_RATIO},
        "peak RSS MiB": {"target": TARGET_RSS_MIB, "measured": rss, "pass": rss < TARGET_RSS_MIB},
        "networkx / scipy": {"target": EXPECTED_NX_FACTOR, "measured": nx_factor, "pass": nx_factor >= EXPECTED_NX_FACTOR},
    }
    result = {"name": NAME, "params": PARAMS, "repeat": repeat, "real": real, "bare": bare,
              "bare_undirected": undirected, "networkx": nxr, "runs": {k: [r["seconds"] for r in v] for k, v in runs.items()},
              "cpu_median": {k: median([r["cpu_seconds"] for r in v]) for k, v in runs.items() if k != "networkx"},
              "ratio_to_bare_undirected": round(real["seconds"] / undirected["seconds"], 2),
              "targets": targets, "machine": machine}
    finish(NAME, result, markdown)
    for k, v in targets.items():
        log(f"{k:22s} target {v['target']!s:>6s} measured {v['measured']!s:>8s}")
    return result


def markdown(r: dict) -> str:
    real, bare, und, nxr, t = r["real"], r["bare"], r["bare_undirected"], r["networkx"], r["targets"]
    runs, cpu = r["runs"], r["cpu_median"]
    lines = [f"# Benchmark `{NAME}`", "", __doc__.strip(), "",
             f"Median of {r['repeat']} run(s) per side; the sides take turns. All runs (s): "
             + "; ".join(f"{k} {', '.join(str(x) for x in v)}" for k, v in runs.items()) + ".", "",
             "| side | seconds | CPU seconds, all threads (median) | peak RSS MiB |", "|---|---:|---:|---:|",
             f"| nabolag, whole computation | {real['seconds']} | {cpu['real']} | {real['peak_rss_mib']} |",
             f"| bare scipy: CSR + 3 × multi-source Dijkstra, `directed=True` (the floor) | {bare['seconds']} | "
             f"{cpu['bare']} | {bare['peak_rss_mib']} |",
             f"| bare scipy, `directed=False` (the floor before 2026-12; ratio {r['ratio_to_bare_undirected']}) | "
             f"{und['seconds']} | {cpu['bare-undirected']} | {und['peak_rss_mib']} |",
             f"| networkx, one kind ({nxr['kind']}): build {nxr['build_seconds']} s + search {nxr['search_seconds']} s "
             f"| {nxr['seconds']} | | {nxr['peak_rss_mib']} |", "",
             "nabolag's phases (s; a worker thread orders and snaps the people from the start until the "
             "wait): " + ", ".join(f"{k} {v}" for k, v in real["phases"].items()), "",
             "bare scipy per kind (s): " + ", ".join(f"{k} {v}" for k, v in bare["per_kind"].items())
             + "; with `directed=False`: " + ", ".join(f"{k} {v}" for k, v in und["per_kind"].items()), "",
             "networkx was timed on one kind only (the 100-facility kind); its factor compares its search with "
             "scipy's Dijkstra for that kind in the bare run.", "",
             "| target | wanted | measured | |", "|---|---:|---:|---|"]
    lines += [f"| {k} | {'≤' if 'bare' in k else ('<' if 'RSS' in k else '≥')} {v['target']} | {v['measured']} | "
              f"{verdict(bool(v['pass']))} |" for k, v in t.items()]
    lines += report_tail(r)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog=f"python -m bench.{NAME}", description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=1, help="runs per side; the median is reported")
    ap.add_argument("--profile", nargs="?", const="pyinstrument", help=argparse.SUPPRESS)
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    ap.add_argument("--worker", choices=SIDES, help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        data = generate()
        work = {"real": worker_real, "bare": worker_bare, "networkx": worker_networkx,
                "bare-undirected": lambda d: worker_bare(d, directed=False)}[args.worker]
        write_worker_result(args.out, work(data))
        return 0
    result = run(repeat=args.repeat)
    return 1 if args.strict and not result["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
