"""Checks every reader makes before reading a file: it exists, is not empty, is not too big."""

from __future__ import annotations

import hashlib
from pathlib import Path

from nabolag.domain.problems import Problem
from nabolag.errors import InputError
from nabolag.i18n import _


def check_file(path: str | Path, max_bytes: int) -> Path:
    """Return ``path`` as a Path, or raise :class:`InputError` naming what is wrong with it."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(_("{file}: filen finnes ikke", file=name))
    if p.is_dir():
        raise InputError(_("{file}: er en mappe, ikke en fil", file=name))
    size = p.stat().st_size
    if size == 0:
        raise InputError(_("{file}: filen er tom (0 byte)", file=name),
                         [Problem(name, _("filen er tom"), expected=_("data"), found="0 byte")])
    if size > max_bytes:
        raise InputError(
            _("{file}: filen er {size} MB; grensen er {limit} MB (NABOLAG_MAX_IMPORT_MB)",
              file=name, size=round(size / 1024 / 1024, 1), limit=round(max_bytes / 1024 / 1024)),
            [Problem(name, _("filen er for stor"), expected=f"<= {max_bytes} byte", found=f"{size} byte")],
        )
    return p


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
