"""Every user text has an English translation; bokmål is the default."""

import subprocess
import sys
from pathlib import Path

from nabolag.i18n import _, set_language

ROOT = Path(__file__).resolve().parents[1]


def test_bokmal_default_and_english_switch() -> None:
    assert _("{n} nye soner, {m} oppdatert", n=2, m=0) == "2 nye soner, 0 oppdatert"
    set_language("en")
    assert _("{n} nye soner, {m} oppdatert", n=2, m=0) == "2 new zones, 0 updated"
    set_language("xx")  # unknown language falls back to bokmål
    assert _("Soner") == "Soner"


def test_catalogue_is_complete() -> None:
    result = subprocess.run([sys.executable, "scripts/update_catalog.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
