"""Extract every user text (``_()`` in Python and templates) and update the English catalogue.

Usage: .venv/bin/python scripts/update_catalog.py [--check]
New message ids are added with an empty translation; --check exits 1 if any is untranslated.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "src/nabolag/locale/en/LC_MESSAGES/nabolag.po"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "nabolag.pot"
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                        "-k", "_", "-k", "gettext", "--no-location", "-o", str(pot), "src"],
                       cwd=ROOT, check=True)
        template = read_po(pot.open("rb"))
    old = {m.id: m.string for m in read_po(PO.open("rb"))} if PO.exists() else {}
    template.locale = "en"  # type: ignore[assignment]
    missing = []
    for m in template:
        if m.id:
            m.string = old.get(m.id, "")
            if not m.string:
                missing.append(m.id)
    if "--check" in sys.argv:
        for mid in missing:
            print(f"untranslated: {mid!r}")
        return 1 if missing else 0
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as fh:
        write_po(fh, template, omit_header=False, sort_output=True, width=0)
    print(f"{PO}: {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
