"""The ``nabolag`` command line (Typer)."""
