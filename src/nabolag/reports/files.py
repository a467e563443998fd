"""Writing a report file so that no reader ever sees half of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it over ``path``; on any error the
    temporary file is removed and ``path`` is left as it was.

    >>> import tempfile as t
    >>> p = Path(t.mkdtemp()) / "a.txt"
    >>> write_atomic(p, b"hei"); p.read_bytes(), sorted(x.name for x in p.parent.iterdir())
    (b'hei', ['a.txt'])
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
