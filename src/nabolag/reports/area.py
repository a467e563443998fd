"""Area reports: the baseline report (nullpunktsanalyse) and the follow-up report of a programme area,
as a content model (:func:`build_area_report`), a web page (:func:`area_report_html`) or a PDF
(:func:`area_report_pdf`) from the same template.

A baseline report has the area on maps; its living conditions against the city and the comparison zones
(index, indicator by indicator, equity matrix); the programme's logic model; every indicator's baseline
value with its interval, target and source; what residents said; and a methods appendix. A follow-up
report adds the change since the baseline with verdicts and difference-in-differences, the measures'
progress, «you said, we did», and what could not be measured and why. Only published figures are used.
"""

from __future__ import annotations

from nabolag.i18n import _
from nabolag.reports import content as c
from nabolag.reports.area_change import change_section, not_measured_section
from nabolag.reports.area_data import AreaData, load
from nabolag.reports.area_indicators import indicators_section
from nabolag.reports.area_methods import methods_section
from nabolag.reports.area_profile import profile_section
from nabolag.reports.area_programme import programme_section, progress_section
from nabolag.reports.area_residents import residents_section
from nabolag.reports.area_zones import area_section
from nabolag.reports.render import html_to_pdf, render_html
from nabolag.services.context import Context

__all__ = ["area_report_html", "area_report_pdf", "build_area_report"]


def _title(d: AreaData) -> tuple[str, str]:
    if d.follow_up:
        return (_("Oppfølgingsrapport: {area}", area=d.area.name),
                _("Endring siden nullpunktet «{label}», med tall til og med {period}", label=d.baseline.label,
                  period=d.latest_period or d.baseline_period))
    return (_("Nullpunktsanalyse: {area}", area=d.area.name),
            _("Levekår, programmet og innbyggernes stemme ved nullpunktet «{label}»", label=d.baseline.label))


def build_area_report(ctx: Context, area_code: str, kind: str = "baseline", baseline_label: str | None = None,
                      latest_period: str | None = None) -> dict[str, object]:
    """The report's content: ``report`` (title, subtitle, date, synthetic, toc, facts) and ``sections``.

    ``kind`` is ``baseline`` or ``follow-up``; ``baseline_label`` picks a baseline (default: the newest);
    ``latest_period`` bounds the latest values of a follow-up. Raises NotFoundError for an unknown area
    or baseline, or an area without a baseline (the message says how to freeze one)."""
    ctx.progress(_("Leser området"), 0.05)
    d = load(ctx, area_code, kind, baseline_label, latest_period)
    ctx.progress(_("Kart og levekår"), 0.2)
    sections = [area_section(ctx, d)]
    if d.follow_up:
        sections.append(change_section(d))
    sections.append(profile_section(ctx, d))
    ctx.progress(_("Programmet"), 0.45)
    sections.append(programme_section(d))
    if d.follow_up:
        sections.append(progress_section(ctx, d))
    sections.append(indicators_section(ctx, d))
    ctx.progress(_("Innbyggerne"), 0.6)
    residents, survey = residents_section(ctx, d)
    sections.append(residents)
    if d.follow_up:
        sections.append(not_measured_section(ctx, d))
    sections.append(methods_section(ctx, d, survey))
    title, subtitle = _title(d)
    report = {"title": title, "subtitle": subtitle, "date": d.today, "synthetic": d.synthetic, "kind": kind,
              "area": d.area.code, "baseline": d.baseline.label, "latest_period": d.latest_period,
              "facts": [(_("Område"), f"{d.area.name} ({d.area.code})"),
                        (_("Rapport"), _("oppfølging") if d.follow_up else _("nullpunkt")),
                        (_("Nullpunkt"), d.baseline.label)],
              "toc": c.toc(sections)}
    return {"report": report, "sections": sections}


def area_report_html(ctx: Context, area_code: str, kind: str = "baseline", baseline_label: str | None = None,
                     latest_period: str | None = None, content: dict[str, object] | None = None) -> str:
    """The report as one self-contained HTML page (styles inline, charts and maps as inline SVG)."""
    content = content or build_area_report(ctx, area_code, kind, baseline_label, latest_period)
    return render_html("report.html", content)


def area_report_pdf(ctx: Context, area_code: str, kind: str = "baseline", baseline_label: str | None = None,
                    latest_period: str | None = None, content: dict[str, object] | None = None) -> bytes:
    """The report as a tagged A4 PDF (PDF/UA-1) with page numbers and a table of contents."""
    content = content or build_area_report(ctx, area_code, kind, baseline_label, latest_period)
    html = render_html("report.html", content)
    ctx.progress(_("Lager PDF"), 0.8)
    pdf = html_to_pdf(html, title=str(content["report"]["title"]))  # type: ignore[index]
    ctx.progress(_("Ferdig"), 1.0)
    return pdf
