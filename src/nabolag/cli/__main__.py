"""``python -m nabolag.cli``."""

from nabolag.cli.main import run

run()
