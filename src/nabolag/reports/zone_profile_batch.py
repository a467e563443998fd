"""Zone profiles for many zones in one run: every zone of the city, one level, or a list of codes.

The zones are shared out over ``workers`` processes; each opens its own :class:`Context` on the same
database and reads the data every profile shares (:class:`~nabolag.reports.zone_profile_data.Shared`)
once. Each profile is written to a temporary file and renamed, so a file that is there is whole. An
``index.html`` beside them lists the profiles by parent zone.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from pathlib import Path

from nabolag.domain.zones import Zone
from nabolag.errors import InputError, NabolagError, NotFoundError
from nabolag.i18n import LANGUAGES, _, in_language, set_language
from nabolag.reports.files import write_atomic
from nabolag.reports.render import render_html
from nabolag.reports.zone_profile import Shared, zone_profile_html, zone_profile_pdf
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.services.views_common import level_label
from nabolag.settings import Settings

FORMATS = ("pdf", "html")
#: Levels above the city's zones: no profile of their own in an "all zones" run.
ABOVE_CITY = ("kommune", "fylke", "land")
INDEX_FILE = "index.html"
Progress = Callable[[str, float], None]

_worker: dict[str, object] = {}


def file_name(zone: Zone, fmt: str) -> str:
    """``0301101001-ammerud.pdf``: the code, the name in plain ASCII letters, the format.

    >>> from nabolag.domain.zones import Level
    >>> file_name(Zone(code="0301101005", name="Romsås", level=Level.DELBYDEL), "pdf")
    '0301101005-romsas.pdf'
    """
    name = zone.name.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = "-".join("".join(c if c.isalnum() else " " for c in ascii_name).split())[:60]
    code = "".join(c if c.isalnum() or c in "-_" else "_" for c in zone.code)
    return f"{code}-{slug}.{fmt}" if slug else f"{code}.{fmt}"


def choose_zones(ctx: Context, codes: Sequence[str] | None = None, level: str | None = None) -> list[Zone]:
    """The zones to profile: ``codes`` (all must exist), else every zone of ``level``, else every zone
    below the city (all levels but kommune, fylke and land), by code."""
    every = zones.list_zones(ctx)
    if codes:
        by_code = {z.code: z for z in every}
        unknown = [c for c in codes if c not in by_code]
        if unknown:
            raise NotFoundError(_("Ukjente soner i --codes: {codes}", codes=", ".join(unknown[:20])))
        return [by_code[c] for c in dict.fromkeys(codes)]
    if level:
        chosen = [z for z in every if str(z.level) == level]
        if not chosen:
            levels = sorted({str(z.level) for z in every})
            raise NotFoundError(_("Ingen soner på nivået «{level}»; finnes: {levels}", level=level[:40],
                                  levels=", ".join(levels) or "–"))
        return chosen
    return [z for z in every if str(z.level) not in ABOVE_CITY]


def _render(ctx: Context, shared: Shared, code: str, path: Path, fmt: str) -> None:
    data = zone_profile_pdf(ctx, code, shared) if fmt == "pdf" else zone_profile_html(ctx, code, shared).encode()
    write_atomic(path, data)


def _init_worker(settings: Settings, lang: str) -> None:
    set_language(lang)
    ctx = Context.open(settings=settings, actor="profiles", create=False)
    _worker.update(ctx=ctx, shared=Shared(ctx), lang=lang)


def _work(code: str, path: str, fmt: str) -> tuple[str, float]:
    set_language(str(_worker["lang"]))
    started = time.perf_counter()
    _render(_worker["ctx"], _worker["shared"], code, Path(path), fmt)  # type: ignore[arg-type]
    return code, time.perf_counter() - started


def _check(fmt: str, lang: str, workers: int) -> None:
    if fmt not in FORMATS:
        raise InputError(_("Ukjent format «{fmt}»; bruk {formats}", fmt=fmt[:20], formats=", ".join(FORMATS)))
    if lang not in LANGUAGES:
        raise InputError(_("Ukjent språk «{lang}»; bruk {langs}", lang=lang[:20], langs=", ".join(LANGUAGES)))
    if workers < 1:
        raise InputError(_("--workers må være minst 1 (fikk {n})", n=workers))


def write_profiles(db: str | Context, out_dir: str | Path, codes: Sequence[str] | None = None,
                   level: str | None = None, lang: str = "nb", fmt: str = "pdf", workers: int = 2,
                   progress: Progress | None = None) -> list[Path]:
    """Write one profile per zone (see :func:`choose_zones`) into ``out_dir`` (created if missing) and an
    ``index.html`` listing them; return the profiles' paths in zone-code order.

    ``db`` is a database URL or an open :class:`Context`. With ``workers`` > 1 the zones are shared out
    over that many processes (an in-memory SQLite database is done in this process)."""
    _check(fmt, lang, workers)
    own = not isinstance(db, Context)
    ctx = Context.open(db, actor="profiles") if isinstance(db, str) else db
    try:
        chosen = choose_zones(ctx, codes, level)
        out = Path(out_dir)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(_("Kan ikke lage mappen {path}: {reason}", path=out, reason=exc.strerror)) from None
        paths = {z.code: out / file_name(z, fmt) for z in chosen}
        say = progress or ctx.progress
        in_memory = ":memory:" in ctx.settings.database_url or ctx.settings.database_url in ("sqlite://", "sqlite:")
        with in_language(lang):
            if workers == 1 or len(chosen) == 1 or in_memory:
                shared = Shared(ctx)
                for i, z in enumerate(chosen):
                    say(_("Soneprofil {name}", name=z.name), i / max(len(chosen), 1))
                    _render(ctx, shared, z.code, paths[z.code], fmt)
            else:
                _in_processes(ctx.settings, chosen, paths, fmt, lang, min(workers, len(chosen)), say)
            say(_("Oversikt"), 1.0)
            write_atomic(out / INDEX_FILE, index_html(ctx, chosen, paths, fmt).encode())
        return [paths[z.code] for z in chosen]
    finally:
        if own:
            ctx.close()


def _start_method() -> multiprocessing.context.BaseContext:
    """``fork`` where there is one (fast: nothing to import again, and a calling script needs no
    ``if __name__ == "__main__"`` guard); the children open their own database connections and never
    touch the parent's. Elsewhere ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _in_processes(settings: Settings, chosen: list[Zone], paths: dict[str, Path], fmt: str, lang: str,
                  workers: int, say: Progress) -> None:
    names = {z.code: z.name for z in chosen}
    with ProcessPoolExecutor(workers, mp_context=_start_method(), initializer=_init_worker,
                             initargs=(settings, lang)) as pool:
        pending: set[Future[tuple[str, float]]] = {pool.submit(_work, z.code, str(paths[z.code]), fmt)
                                                   for z in chosen}
        done_count = 0
        say(_("Starter {n} prosesser", n=workers), 0.0)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for f in done:
                exc = f.exception()
                if exc is not None:
                    for p in pending:
                        p.cancel()
                    raise NabolagError(_("Soneprofilen kunne ikke lages: {error}", error=exc)) from exc
                code, _seconds = f.result()
                done_count += 1
                say(_("Soneprofil {name}", name=names[code]), done_count / len(chosen))


def index_html(ctx: Context, chosen: list[Zone], paths: dict[str, Path], fmt: str) -> str:
    """A page listing the profiles by parent zone, with relative links."""
    parents = {z.code: z for z in zones.list_zones(ctx)}
    groups: dict[str, list[dict[str, object]]] = {}
    for z in chosen:
        parent = parents.get(z.parent_code or "")
        key = parent.name if parent else _("Uten overordnet sone")
        groups.setdefault(key, []).append({"code": z.code, "name": z.name, "level": level_label(str(z.level)),
                                           "href": paths[z.code].name})
    from nabolag.services.indicators import list_indicators

    synthetic = any(i.synthetic for i in list_indicators(ctx))
    city = next((z.name for z in parents.values() if str(z.level) == "kommune"), "")
    title = _("Soneprofiler for {city}", city=city) if city else _("Soneprofiler")
    return render_html("zone_profile_index.html", {
        "report": {"title": title, "subtitle": _("{n} soner, én side per sone ({fmt})", n=len(chosen),
                                                  fmt=fmt.upper()),
                   "date": dt.date.today().isoformat(), "synthetic": synthetic, "toc": [], "facts": []},
        "groups": sorted(groups.items())})
