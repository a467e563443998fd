"""A staging area for uploaded files: saved under a random token, validated, then confirmed or discarded.

Nothing here writes to the database. A staged upload is a directory ``<root>/<token>/`` holding the file
(under its own, cleaned name, so the import records that name) and ``staged.json`` (kind, options, owner).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from nabolag.domain.problems import Problem
from nabolag.domain.zones import Level
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _
from nabolag.ingest.tidy import TARGETS, check_targets, parse_pairs

KINDS = ("zones", "observations", "indicators")
SUFFIXES = {
    "zones": (".geojson", ".json", ".gpkg", ".gml", ".zip", ".fgb", ".csv", ".xlsx", ".xlsm"),
    "observations": (".csv", ".txt", ".xlsx", ".xlsm", ".json"),
    "indicators": (".yaml", ".yml", ".csv", ".xlsx", ".xlsm"),
}
#: Kinds staged by other pages than /import (programme page, survey paper responses, observation sessions).
OTHER_SUFFIXES = {"programme": (".xlsx", ".xlsm", ".csv", ".geojson", ".json"),
                  "survey_paper": (".csv",), "observation_sessions": (".csv",)}
TEXT_OPTIONS = {
    "zones": ("code_field", "name_field", "parent_field", "level", "layer", "crs", "source"),
    "observations": ("indicators", "sheet", "source"),
    "indicators": ("source",),
}
PAIR_OPTIONS = ("map", "set", "filter", "symbol")  # observations only: «mål=kolonne» per line or comma
FLAG_OPTIONS = ("wide", "replace")  # observations only
MAX_AGE_SECONDS = 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
OPTION_MAX_LENGTH = 2000
CHUNK = 1 << 20
META = "staged.json"


class UploadTooLarge(InputError):
    """The upload is bigger than ``settings.max_import_bytes``; nothing was kept."""


@dataclass
class Staged:
    """One staged upload."""

    token: str
    kind: str
    file_name: str
    owner: str
    size: int
    created: float
    options: dict[str, object] = field(default_factory=dict)
    report: dict[str, object] | None = None

    def path(self, root: Path) -> Path:
        return root / self.token / self.file_name

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def clean_file_name(name: str, kind: str) -> str:
    """The uploaded name without folders or odd characters; its suffix must suit ``kind``."""
    base = Path(str(name).replace("\\", "/")).name.strip()
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    allowed = SUFFIXES.get(kind) or OTHER_SUFFIXES[kind]
    if suffix not in allowed:
        raise InputError(_("{file}: filtypen «{suffix}» kan ikke importeres som {kind}; bruk {allowed}",
                           file=base or "?", suffix=suffix or "-", kind=kind, allowed=", ".join(allowed)),
                         [Problem(base or "?", _("feil filtype"), field="file", expected=", ".join(allowed),
                                  found=suffix or "-")])
    stem = re.sub(r"[^\w.\- ]", "_", stem).strip(" .")[:100] or "upload"
    return stem + suffix


def parse_options(kind: str, form: dict[str, str]) -> dict[str, object]:
    """Options for ``kind`` from form fields (text as the CLI takes it); raises naming the field."""
    if kind not in KINDS:
        raise InputError(_("ukjent importtype «{kind}»; gyldige: {kinds}", kind=kind, kinds=", ".join(KINDS)),
                         [Problem("-", _("ukjent importtype"), field="kind", expected=", ".join(KINDS),
                                  found=str(kind)[:80])])
    out: dict[str, object] = {}
    for name in TEXT_OPTIONS[kind]:
        value = _text(form, name)
        if value:
            out[name] = value
    if kind == "zones" and out.get("level"):
        try:
            out["level"] = str(Level.parse(str(out["level"])))
        except ValueError:
            raise InputError(_("ukjent nivå «{level}»", level=out["level"]),
                             [Problem("-", _("ukjent nivå"), field="level",
                                      expected=", ".join(lv.value for lv in Level), found=str(out["level"]))]) from None
    if kind == "observations":
        for name in PAIR_OPTIONS:
            pairs = [p.strip() for p in re.split(r"[\n,]", _text(form, name)) if p.strip()]
            try:
                out[name] = parse_pairs(pairs, name)
            except InputError as exc:
                raise InputError(exc.message, [Problem("-", exc.message, field=name)]) from None
        for name in ("map", "set"):
            try:
                check_targets(out[name], name)  # type: ignore[arg-type]
            except InputError as exc:
                raise InputError(exc.message, [Problem("-", exc.message, field=name,
                                                       expected=", ".join(TARGETS))]) from None
        for name in FLAG_OPTIONS:
            out[name] = _text(form, name).lower() in ("1", "on", "true", "yes", "ja")
    return out


def _text(form: dict[str, str], name: str) -> str:
    value = str(form.get(name) or "").strip()
    if len(value) > OPTION_MAX_LENGTH:
        raise InputError(_("feltet «{field}» er for langt", field=name),
                         [Problem("-", _("for lang verdi"), field=name,
                                  expected=_("høyst {n} tegn", n=OPTION_MAX_LENGTH))])
    return value


def stage(root: Path, stream: BinaryIO, *, file_name: str, kind: str, options: dict[str, object], owner: str,
          max_bytes: int) -> Staged:
    """Copy ``stream`` into a new token directory; refuse (and keep nothing) beyond ``max_bytes``."""
    name = clean_file_name(file_name, kind)
    cleanup(root)
    token = secrets.token_urlsafe(24)
    folder = root / token
    folder.mkdir(parents=True, mode=0o700)
    size = 0
    try:
        with (folder / name).open("wb") as out:
            while block := stream.read(CHUNK):
                size += len(block)
                if size > max_bytes:
                    raise too_large(name, max_bytes)
                out.write(block)
        if size == 0:
            raise InputError(_("{file}: filen er tom (0 byte)", file=name),
                             [Problem(name, _("filen er tom"), field="file", expected=_("data"), found="0 byte")])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    staged = Staged(token=token, kind=kind, file_name=name, owner=owner, size=size, created=time.time(),
                    options=options)
    save(root, staged)
    return staged


def too_large(name: str, max_bytes: int) -> UploadTooLarge:
    limit = f"{max_bytes} byte" if max_bytes < 1024 * 1024 else f"{max_bytes / 1024 / 1024:g} MB"
    return UploadTooLarge(_("{file}: filen er større enn grensen på {limit} (NABOLAG_MAX_IMPORT_MB); "
                            "ingenting er lagret", file=name, limit=limit),
                          [Problem(name, _("filen er for stor"), field="file", expected=f"<= {max_bytes} byte")])


def save(root: Path, staged: Staged) -> None:
    (root / staged.token / META).write_text(json.dumps(staged.as_dict(), ensure_ascii=False, default=str),
                                            encoding="utf-8")


def load(root: Path, token: str, *, actor: str, role: str) -> Staged:
    """The staged upload ``token`` if it exists, is fresh and belongs to ``actor`` (admins see all)."""
    meta = root / token / META if TOKEN.match(token) else None
    if meta is None or not meta.is_file():
        raise NotFoundError(_("Ukjent eller utløpt opplasting: {token}", token=token[:64]))
    staged = Staged(**json.loads(meta.read_text(encoding="utf-8")))
    if (staged.owner != actor and role != "admin") or time.time() - staged.created > MAX_AGE_SECONDS:
        raise NotFoundError(_("Ukjent eller utløpt opplasting: {token}", token=token[:64]))
    return staged


def pending(root: Path, *, actor: str, role: str) -> list[Staged]:
    """Staged uploads ``actor`` may see, newest first."""
    if not root.is_dir():
        return []
    found = []
    for folder in root.iterdir():
        try:
            found.append(load(root, folder.name, actor=actor, role=role))
        except (NotFoundError, ValueError, TypeError, OSError):
            continue
    return sorted(found, key=lambda s: s.created, reverse=True)


def discard(root: Path, staged: Staged) -> None:
    shutil.rmtree(root / staged.token, ignore_errors=True)


def cleanup(root: Path, max_age: float = MAX_AGE_SECONDS) -> None:
    """Remove staged uploads older than ``max_age`` seconds."""
    if not root.is_dir():
        return
    limit = time.time() - max_age
    for folder in root.iterdir():
        if folder.is_dir() and TOKEN.match(folder.name) and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
