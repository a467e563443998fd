"""Shared CLI plumbing: the context from global options, error handling, progress and reports."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from nabolag.domain.problems import Report, Severity
from nabolag.errors import InputError, NabolagError, NotFoundError, PermissionDenied
from nabolag.i18n import _, set_language
from nabolag.services.context import Context
from nabolag.settings import load_settings

console = Console()
err = Console(stderr=True)

EXIT_CODES = {InputError: 2, NotFoundError: 3, PermissionDenied: 4}


def state(ctx: typer.Context) -> dict[str, object]:
    ctx.ensure_object(dict)
    return ctx.obj  # type: ignore[no-any-return]


@contextmanager
def service_context(tctx: typer.Context, show_progress: bool = True) -> Iterator[Context]:
    """Open the database named by the global options, with a Rich progress bar on stderr."""
    opts = state(tctx)
    settings = load_settings(opts.get("database"), opts.get("lang"))  # type: ignore[arg-type]
    set_language(settings.language)
    if not show_progress or not err.is_terminal:
        with handle_errors(), Context.open(settings=settings) as ctx:
            yield ctx
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with handle_errors(), Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(_("Starter"), total=1.0)

        def progress(label: str, fraction: float) -> None:
            bar.update(task, description=label, completed=fraction)

        with Context.open(settings=settings, progress=progress) as ctx:
            yield ctx


@contextmanager
def handle_errors() -> Iterator[None]:
    """Turn nabolag errors into a message on stderr and a non-zero exit code."""
    try:
        yield
    except NabolagError as exc:
        label = _("Feil")
        err.print(f"[bold red]{label}:[/] {escape(str(exc))}", markup=True, highlight=False, soft_wrap=True)
        code = next((c for t, c in EXIT_CODES.items() if isinstance(exc, t)), 1)
        raise typer.Exit(code) from None


def print_report(report: Report) -> None:
    """Print warnings and notes of a finished import."""
    for p in report.problems:
        style = {Severity.WARNING: "yellow", Severity.INFO: "dim"}.get(p.severity, "red")
        err.print(f"[{style}]{escape(p.describe())}[/]", markup=True, highlight=False, soft_wrap=True)
