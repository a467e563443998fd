"""On-demand benchmarks for nabolag (not run in CI). Run all with ``python -m bench``."""
