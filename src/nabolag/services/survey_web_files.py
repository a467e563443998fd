"""Files in and out of the survey admin pages: the anonymised researcher export as a download, and paper
responses (CSV) staged, checked by a dry run and stored only on confirmation.

- **Export**: :func:`export_download` runs :func:`survey_export.export_responses` into a new temporary
  directory and gives back the one file to send: the workbook (``.xlsx``), or for CSV a zip holding the
  data and the codebook (``<name>.csv`` and ``<name>-kodebok.csv``, as the service writes them). The caller
  removes the directory after sending (:func:`remove_dir`); on an error it is removed here.
- **Paper import**: :func:`stage_paper_csv` keeps the upload under a random token in the staging area
  (:mod:`nabolag.services.staging`: owner, age limit and clean-up as for every staged upload) and
  :func:`check_paper_csv` runs :func:`survey_import.import_paper_csv` with ``dry_run`` (every cell checked,
  nothing written) or for real. The report is ``{ok, rows, message, problems: [{row, column, message,
  found}]}``.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from nabolag.domain.problems import Problem
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services import staging, survey_export, survey_import
from nabolag.services.context import Context

KIND = "survey_paper"
MEDIA_TYPES = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               ".zip": "application/zip"}
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Download:
    """A file ready to send; ``folder`` is the temporary directory to remove afterwards."""

    path: Path
    filename: str
    media_type: str
    folder: Path
    rows: int


def export_name(code: str, include_text: bool) -> str:
    return f"{code}-anonymisert{'-med-fritekst' if include_text else ''}"


def export_download(ctx: Context, code: str, fmt: str, *, include_text: bool = False,
                    include_points: bool = False) -> Download:
    """Write the export of survey ``code`` into a new temporary directory (see the module text)."""
    if fmt not in FORMATS:
        raise InputError(_("Ukjent format «{fmt}»; velg csv eller xlsx", fmt=fmt[:20]),
                         [Problem("-", _("ukjent format"), field="format", expected="csv, xlsx", found=fmt[:20])])
    folder = Path(tempfile.mkdtemp(prefix="nabolag-survey-export-"))
    try:
        stem = export_name(code, include_text)
        result = survey_export.export_responses(ctx, code, folder / f"{stem}.{fmt}", include_text=include_text,
                                                include_points=include_points)
        if fmt == "xlsx":
            path = result.files[0]
        else:
            path = folder / f"{stem}-csv.zip"
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
                for f in result.files:
                    z.write(f, arcname=f.name)
        return Download(path=path, filename=path.name, media_type=MEDIA_TYPES[path.suffix], folder=folder,
                        rows=result.rows)
    except BaseException:
        remove_dir(folder)
        raise


def remove_dir(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def stage_paper_csv(root: Path, stream: BinaryIO, *, file_name: str, survey: str, owner: str,
                    max_bytes: int) -> staging.Staged:
    """Keep an uploaded paper-response CSV under a new token (nothing is written to the database)."""
    return staging.stage(root, stream, file_name=file_name, kind=KIND, options={"survey": survey}, owner=owner,
                         max_bytes=max_bytes)


def load_paper_csv(root: Path, token: str, *, survey: str, actor: str, role: str) -> staging.Staged:
    """The staged upload, if it is this user's, fresh, a paper CSV, and for this survey (else 404)."""
    staged = staging.load(root, token, actor=actor, role=role)
    if staged.kind != KIND or staged.options.get("survey") != survey:
        return staging.load(root, "-", actor=actor, role=role)  # raises NotFoundError as for an unknown token
    return staged


def check_paper_csv(ctx: Context, root: Path, staged: staging.Staged, *, dry_run: bool) -> dict[str, Any]:
    """Check (``dry_run``) or store the staged file; the report either way."""
    code = str(staged.options["survey"])
    try:
        rows = survey_import.import_paper_csv(ctx, code, staged.path(root), dry_run=dry_run)
    except InputError as exc:
        return report(staged, code, ok=False, rows=0, message=exc.message,
                      problems=[problem_view(p) for p in exc.problems])
    return report(staged, code, ok=True, rows=rows, message="", problems=[], stored=not dry_run)


def problem_view(p: Problem) -> dict[str, Any]:
    return {"row": p.row, "column": p.field or "", "message": p.message, "found": p.found or ""}


def report(staged: staging.Staged, code: str, *, ok: bool, rows: int, message: str, problems: list[dict[str, Any]],
           stored: bool = False) -> dict[str, Any]:
    base = f"/surveys/{code}/import/{staged.token}"
    return {"survey": code, "token": staged.token, "file": staged.file_name, "ok": ok, "rows": rows,
            "message": message, "problems": problems, "stored": stored,
            "links": {"report": base, "confirm": f"{base}/confirm", "discard": f"{base}/discard",
                      "survey": f"/surveys/{code}"}}
