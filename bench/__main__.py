"""Run every benchmark: ``python -m bench`` (or ``make bench``) from the repository root.

Options are passed on to each benchmark: ``--repeat N``, ``--profile [pyinstrument|cprofile]``,
``--strict`` (exit 1 if a target is missed); ``python -m bench NAME …`` (or ``--only NAME``) runs only those.
"""

from __future__ import annotations

import argparse
import sys
import time

from bench import access, import_observations, import_zones, index, survey, web
from bench._common import RESULTS, log, verdict

BENCHMARKS = {import_observations.NAME: import_observations, import_zones.NAME: import_zones, index.NAME: index,
              web.NAME: web}
BENCHMARKS[survey.NAME] = survey
BENCHMARKS[access.NAME] = access  # issue 8
BENCHMARKS["reports"] = __import__("bench.reports", fromlist=["run"])  # issue 9


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description="Run nabolag's benchmarks.")
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help=f"run only these ({', '.join(BENCHMARKS)}; default: all)")
    ap.add_argument("--only", choices=list(BENCHMARKS), action="append", help="run only this one (repeatable)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per side; the median is reported")
    ap.add_argument("--profile", nargs="?", const="pyinstrument", choices=["pyinstrument", "cprofile"],
                    help="also profile one extra run of each real import")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = ap.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        ap.error(f"unknown benchmark {', '.join(unknown)} (choose from {', '.join(BENCHMARKS)})")
    summary = []
    started = time.perf_counter()
    for name in [*args.names, *(args.only or [])] or list(BENCHMARKS):
        result = BENCHMARKS[name].run(repeat=args.repeat, profile=args.profile)
        summary.append((name, result))
    log("")
    log(f"== summary ({time.perf_counter() - started:.0f} s in all; details in {RESULTS}) ==")
    for name, result in summary:
        for target, t in result["targets"].items():  # type: ignore[union-attr]
            log(f"{name:22s} {target:22s} target {t['target']!s:>9s}  measured {t['measured']!s:>9s}  "
                f"{verdict(bool(t['pass']))}")
    passed = all(bool(r["pass"]) for _n, r in summary)
    return 1 if args.strict and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
