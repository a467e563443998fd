"""Demo reports (issue 9): Groruddalen's baseline and follow-up reports, made and stored as PDFs.

Called by ``nabolag demo`` after the demo is built (not by :func:`nabolag.demo.build_demo`, which the
tests run many times: a report takes seconds). The reports are marked synthetic, like the demo's data,
and are listed with download links on the area page. A demo that already has them is left as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from nabolag.demo import AREA_CODE
from nabolag.i18n import _
from nabolag.reports import store
from nabolag.services.context import Context

#: Bokmål first; the English pair is cheap (a few seconds) and shows the language switch.
LANGUAGES = ("nb", "en")


def add_demo_reports(ctx: Context, languages: Sequence[str] = LANGUAGES) -> list[store.StoredReport]:
    """Make and store the area's baseline and follow-up PDFs in each language that has none yet."""
    have = {(r.kind, r.language) for r in store.list_reports(ctx, AREA_CODE)}
    made = []
    steps = [(kind, lang) for lang in languages for kind in store.KINDS if (kind, lang) not in have]
    for i, (kind, lang) in enumerate(steps):
        ctx.progress(_("Demorapport: {kind} ({lang})", kind=store.kind_label(kind), lang=lang), i / len(steps))
        saved = store.generate_and_save(ctx, AREA_CODE, kind, lang, "pdf")
        if not saved.synthetic:  # the demo's figures are made up: never store them unmarked
            raise AssertionError(f"demo report {saved.id} is not marked synthetic")
        made.append(saved)
    return made
