"""The logic model as Markdown: one section per goal with a table measure → indicator → method →
baseline / target / latest, then its flags. For the CLI and for reports."""

from __future__ import annotations

import math

from nabolag.i18n import _, get_language

_MARK = {"error": "⛔", "warning": "⚠", "info": "ℹ"}


def _fmt(v: object) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "–"
    f = float(v)  # type: ignore[arg-type]
    if f.is_integer():
        return f"{f:.0f}"
    text = f"{f:.2g}" if abs(f) < 1 else f"{f:.1f}"
    return text.replace(".", ",") if get_language() in ("nb", "nn") else text  # decimal comma in Norwegian


def _at(point: object, value_key: str = "value") -> str:
    if not isinstance(point, dict) or point.get(value_key) is None:
        return "–"
    period = point.get("period")
    return f"{_fmt(point[value_key])} ({period})" if period else _fmt(point[value_key])


def _cell(text: object) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")


def _row(measure: str, node: dict[str, object]) -> str:
    unit = f" {node['unit']}" if node.get("unit") else ""
    verdict = node.get("verdict_text") or ""
    if node.get("suppressed"):
        verdict = (verdict + " " if verdict else "") + _("(prikket)")
    marks = "".join(_MARK[str(f["severity"])] for f in node["flags"] if f["severity"] != "info")  # type: ignore[attr-defined]
    cells = [measure, f"{_cell(node['name'])} (`{node['code']}`){unit} {marks}".rstrip(),
             _cell(node.get("method_label") or "–"), _at(node.get("baseline")), _at(node.get("target")),
             _at(node.get("latest")), _cell(verdict)]
    return "| " + " | ".join(cells) + " |"


def _percent(progress: object) -> str:
    p = progress.get("percent") if isinstance(progress, dict) else None
    return _("{p} %", p=_fmt(p)) if p is not None else _("ukjent")


def render_markdown(model: dict[str, object]) -> str:
    """Render :func:`nabolag.services.logic_model.logic_model` as Markdown."""
    area = model["area"]
    lines = [_("# Logikkmodell: {name}", name=area["name"]), ""]  # type: ignore[index]
    if area.get("synthetic"):  # type: ignore[attr-defined]
        lines += [_("*Syntetiske demodata – ikke virkelige tall.*"), ""]
    base = model.get("baseline")
    lines.append(_("Nullpunkt: «{label}»", label=base["label"]) if base else _("Nullpunkt: ikke frosset"))  # type: ignore[index]
    progress = model["progress"]
    lines += [_("Fremdrift: {p} ({n} tiltak)", p=_percent(progress), n=progress["measures"]), ""]  # type: ignore[index]
    header = [_("Tiltak"), _("Indikator"), _("Metode"), _("Nullpunkt"), _("Mål"), _("Siste"), _("Vurdering")]
    for g in model["goals"]:  # type: ignore[attr-defined]
        lines += [_("## Mål: {title} (`{code}`)", title=g["title"], code=g["code"]), ""]
        themes = ", ".join(f"{t['name']} (SDG {', '.join(t['sdg_targets'])})" for t in g["themes"]) or "–"
        groups = ", ".join(t["label"] for t in g["target_groups"]) or _("alle")
        lines += [_("Dimensjon: {dimension}. Tema: {themes}. Målgrupper: {groups}. Fremdrift: {progress}.",
                    dimension=g["dimension"]["name"], themes=themes, groups=groups,
                    progress=_percent(g["progress"])), ""]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += [_row(_("(målet)"), n) for n in g["indicators"]]
        for m in g["measures"]:
            label = _("{title} (`{code}`, {status}, {progress})", title=_cell(m["title"]), code=m["code"],
                      status=m["status_label"], progress=_percent({"percent": m["progress"]}))
            lines += [_row(label, n) for n in m["indicators"]] or [f"| {label} | ⚠ | | | | | |"]
        flags = [f for f in model["flags"] if f.get("goal") == g["code"] and f["severity"] != "info"]  # type: ignore[attr-defined]
        lines.append("")
        lines += [f"- {_MARK[str(f['severity'])]} {f['message']}" for f in flags]
        lines += [""] if flags else []
    other = [f for f in model["flags"] if not f.get("goal") and f["severity"] != "info"]  # type: ignore[attr-defined]
    if other:
        lines += [_("## Andre merknader"), ""] + [f"- {_MARK[str(f['severity'])]} {f['message']}" for f in other]
    return "\n".join(lines).rstrip() + "\n"
