"""The upload step shared by the CSV uploads that are staged and checked before anything is stored (paper
survey responses, observation sessions, a programme's files; the general import page has its own: it shows its
form again on errors).

:func:`stage_and_check`: refuse a body over the size limit, read the form (one ``file``), stage the file
under a new token (``stage``, which calls :func:`nabolag.services.staging.stage`), run the dry run
(``check``: nothing is written), keep its report beside the staged file, and answer 201 with the report
(JSON) or 303 to the report page. The report names its own page in ``links.report``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from nabolag.domain.problems import Problem
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.services import staging
from nabolag.services.context import Context
from nabolag.web.imports import FORM_OVERHEAD


class Stage(Protocol):
    """Keep the upload under a new token (a service function around :func:`staging.stage`)."""

    def __call__(self, root: Path, stream: BinaryIO, *, file_name: str, owner: str,
                 max_bytes: int) -> staging.Staged: ...


Check = Callable[[Context, Path, staging.Staged], dict[str, Any]]
"""``check(ctx, root, staged)``: the dry run's report, with ``links.report``."""

Fields = Callable[[FormData], dict[str, Any]]
"""``fields(form)``: the form's other fields, checked, as keyword arguments for ``stage``."""


async def stage_and_check(request: Request, ctx: Context, root: Path, stage: Stage, check: Check,
                          fields: Fields | None = None, max_fields: int = 4) -> Response:
    """Stage the uploaded ``file`` under ``root``, check it, and answer the report (see the module)."""
    from nabolag.web.app import wants_json  # app.py imports the routers that import this module

    limit = ctx.settings.max_import_bytes
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + FORM_OVERHEAD:
        raise staging.too_large(_("opplastingen"), limit)
    try:
        form = await request.form(max_files=1, max_fields=max_fields)
    except HTTPException as exc:
        raise InputError(_("Skjemaet kunne ikke leses: {why}", why=exc.detail)) from None
    try:
        file = form.get("file")
        if not isinstance(file, UploadFile) or not file.filename:
            raise InputError(_("Velg en fil å laste opp"), [Problem("-", _("mangler fil"), field="file")])
        extra = fields(form) if fields is not None else {}
        staged = await run_in_threadpool(partial(stage, **extra), root, file.file, file_name=file.filename,
                                         owner=ctx.actor, max_bytes=limit)
    finally:
        await form.close()
    data = await run_in_threadpool(check, ctx, root, staged)
    staged.report = data
    staging.save(root, staged)
    if wants_json(request):
        return JSONResponse(data, status_code=201, headers={"Location": str(data["links"]["report"])})
    return RedirectResponse(str(data["links"]["report"]), status_code=303)
