"""The codebook of a survey export and the files it is written to (see :mod:`nabolag.services.survey_export`).

CSV: ``<name>.csv`` and ``<name>-kodebok.csv``, UTF-8 with a byte-order mark, ``;`` between columns and a
decimal comma, as Excel in Norway opens them and R's ``read.csv2`` reads them (pandas:
``pd.read_csv(f, sep=";", decimal=",", encoding="utf-8-sig")``). Excel: one workbook with the sheets
``svar`` and ``kodebok``; every text is a text cell (a free-text answer starting with ``=`` stays text and
is never run as a formula). Both are written to temporary files beside the target and renamed at the end.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nabolag.domain.survey import Question, Questionnaire
from nabolag.i18n import _

FORMATS = (".csv", ".xlsx")
CSV_OPTIONS: dict[str, str] = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"}
SHEETS = ("svar", "kodebok")
CODEBOOK_COLUMNS = ("column", "question", "section", "type", "text_nb", "text_en", "values", "choices_nb",
                    "choices_en", "low_nb", "low_en", "high_nb", "high_en", "background", "added_in_version",
                    "missing", "note")
_YES_NO = {"nb": "1 = ja; 0 = nei", "en": "1 = yes; 0 = no"}
_CHOSEN = {"nb": "1 = valgt; 0 = ikke valgt", "en": "1 = chosen; 0 = not chosen"}
_BACKGROUND = {"age_band": ("Aldersgruppe", "Age band"), "gender": ("Kjønn", "Gender"),
               "resident_group": ("Beboergruppe", "Resident group")}
_FIXED_TEXT = {
    "respondent": ("Løpenummer for svaret, i tilfeldig rekkefølge", "Response number, in random order"),
    "version": ("Versjonen av spørreskjemaet som ble besvart", "Questionnaire version answered"),
    "language": ("Språket skjemaet ble fylt ut på", "Language the form was filled in"),
    "submitted": ("Dato svaret kom inn (norsk tid), uten klokkeslett",
                  "Date submitted (Norwegian time), without the time of day"),
    "source": ("Innsamling: web, paper (papir) eller demo", "Collected by: web, paper or demo"),
    "zone": ("Hjemsone (kode); soner med få svar er slått sammen med overordnet sone",
             "Home zone (code); zones with few responses are merged into their parent zone"),
    "zone_level": ("Nivået til sonen i kolonnen zone", "Level of the zone in the column zone"),
}


@dataclass(frozen=True)
class Column:
    """One answer column: a question, or one choice of a ``multiple`` question, or ``lon``/``lat`` of a point."""

    name: str
    question: Question
    section: str
    added_in: int
    choice: str = ""
    part: str = ""


def codebook(versions: Sequence[Questionnaire], columns: Sequence[Column], data_columns: Sequence[str],
             notes: Sequence[str], *, threshold: int, moved: int, dropped: int, include_text: bool,
             include_points: bool, point_decimals: int) -> pd.DataFrame:
    """One row per column of the data (in its order), then a row per question left out, then notes."""
    current = versions[-1]
    rows = [_fixed_row(name, current, len(versions), threshold, moved, dropped)
            for name in data_columns[:len(data_columns) - len(columns)]]
    rows += [_question_row(c, point_decimals) for c in columns]
    exported = {c.question.id for c in columns}
    added = {x.id: q.version for q in reversed(versions) for x in q.questions()}
    for section in current.sections:
        for x in section.questions:
            if x.id not in exported:
                why = (_("Fritekst er ikke med i denne eksporten") if x.type == "text" and not include_text
                       else _("Kartpunkt er ikke med i denne eksporten") if not include_points else "")
                rows.append(_row("", x, section.id, added[x.id], note=why))
    rows += [{"note": n} for n in notes]
    return pd.DataFrame(rows, columns=list(CODEBOOK_COLUMNS)).astype(object).where(lambda f: f.notna(), "")


def _row(column: str, x: Question, section: str, added: int, **extra: object) -> dict[str, object]:
    row: dict[str, object] = {
        "column": column, "question": x.id, "section": section, "type": x.type, "text_nb": x.text.get("nb", ""),
        "text_en": x.text.get("en", ""), "low_nb": x.low.get("nb", ""), "low_en": x.low.get("en", ""),
        "high_nb": x.high.get("nb", ""), "high_en": x.high.get("en", ""), "background": x.background,
        "added_in_version": added,
        "missing": _("tom = ikke besvart") if added == 1 else
        _("tom = ikke besvart, eller ikke spurt (versjon før {v})", v=added)}
    row.update(extra)
    return row


def _question_row(c: Column, point_decimals: int) -> dict[str, object]:
    x = c.question
    row = _row(c.name, x, c.section, c.added_in)
    if x.type in ("scale", "likert"):
        row["values"] = f"1–{x.points}"
    elif x.type == "number":
        row["values"] = f"{x.min:g}–{x.max:g}" + (" (heltall / integer)" if x.integer else "")
    elif x.type == "yesno":
        row.update(values="1, 0", choices_nb=_YES_NO["nb"], choices_en=_YES_NO["en"])
    elif x.type == "single":
        row.update(values=", ".join(x.choice_codes), choices_nb=_choices(x, "nb"), choices_en=_choices(x, "en"))
    elif x.type == "multiple":
        choice = next(ch for ch in x.choices if ch.code == c.choice)
        row.update(values="1, 0", choices_nb=_CHOSEN["nb"], choices_en=_CHOSEN["en"],
                   text_nb=f"{x.text.get('nb', '')} – {choice.text.get('nb', '')}".strip(" –"),
                   text_en=f"{x.text.get('en', '')} – {choice.text.get('en', '')}".strip(" –"),
                   note=_("Ett valg av flervalgsspørsmålet {id}: {code}", id=x.id, code=c.choice))
        if c.added_in > 1:
            row["missing"] = _("tom = spørsmålet er ikke besvart, eller valget fantes ikke (versjon før {v})",
                               v=c.added_in)
    elif x.type == "point":
        row.update(values=_("grader (WGS 84), {d} desimaler", d=point_decimals),
                   note=_("{part} avrundet til {d} desimaler (omtrent 1 km)", part=c.part, d=point_decimals))
    elif x.type == "text":
        row["note"] = _("Fritekst slik den ble skrevet; kan inneholde navn og andre personopplysninger (i "
                        "Excel-filen er kontrolltegn byttet ut med «\ufffd»)")
    if x.background:
        row["note"] = _("Bakgrunnsspørsmål; samme svar som kolonnen {column}", column=x.background)
    return row


def _choices(x: Question, lang: str) -> str:
    return "; ".join(f"{c.code} = {c.text.get(lang, '')}" for c in x.choices)


def _fixed_row(name: str, q: Questionnaire, versions: int, threshold: int, moved: int, dropped: int
               ) -> dict[str, object]:
    base = name.removeprefix("_")  # renamed when a question has the same id
    row: dict[str, object] = {"column": name, "type": "meta", "missing": _("aldri tom")}
    if base in _BACKGROUND:
        source = q.background_question(base)
        nb, en = _BACKGROUND[base]
        row.update(type="background", background=base, missing=_("tom = ikke oppgitt"),
                   text_nb=f"{nb} ({source.id})" if source else nb, text_en=f"{en} ({source.id})" if source else en)
        if source:
            row.update(question=source.id, values=", ".join(source.choice_codes), choices_nb=_choices(source, "nb"),
                       choices_en=_choices(source, "en"))
        return row
    row["text_nb"], row["text_en"] = _FIXED_TEXT[base]
    if base == "respondent":
        row["note"] = _("Løpenummeret sier ingenting om når svaret kom, og er ikke svarets id i databasen")
    elif base == "version":
        row["values"] = f"1–{versions}"
    elif base == "language":
        row["values"] = ", ".join(q.languages)
    elif base == "submitted":
        row["values"] = "YYYY-MM-DD"
    elif base == "source":
        row["values"] = "web, paper, demo"
    elif base in ("zone", "zone_level"):
        row["missing"] = _("tom = ingen sone oppgitt, eller for få svar også i overordnede soner")
        if base == "zone":
            row["values"] = _("sonekode som tekst (behold nullene foran)")
            row["note"] = _("Soner med færre enn {threshold} svar har fått koden til overordnet sone ({moved} svar) "
                            "eller står tomme ({dropped} svar).", threshold=threshold, moved=moved, dropped=dropped)
    return row


def write_files(out: Path, data: pd.DataFrame, book: pd.DataFrame) -> tuple[Path, ...]:
    """Write ``data`` and ``book`` as CSV (two files) or Excel (one), by the suffix of ``out``."""
    if out.suffix.lower() == ".csv":
        targets = [out, out.with_name(f"{out.stem}-kodebok.csv")]
        note = _("CSV: semikolon mellom kolonnene og desimalkomma, UTF-8 (R: read.csv2; pandas: sep=';', "
                 "decimal=',', encoding='utf-8-sig')")
        book = pd.concat([book, pd.DataFrame([{c: (note if c == "note" else "") for c in CODEBOOK_COLUMNS}])],
                         ignore_index=True)

        def write(paths: list[Path]) -> None:
            data.to_csv(paths[0], index=False, **CSV_OPTIONS)  # type: ignore[arg-type]
            book.to_csv(paths[1], index=False, **CSV_OPTIONS)  # type: ignore[arg-type]
    else:
        targets = [out]

        def write(paths: list[Path]) -> None:
            _xlsx(paths[0], {SHEETS[0]: data, SHEETS[1]: book})
    atomic_write(targets, write)
    return tuple(targets)


def atomic_write(targets: Sequence[Path], write: Callable[[list[Path]], None]) -> None:
    """Call ``write`` with temporary paths beside ``targets``, then rename each to its target. On an error
    the temporary files are removed and the targets are left as they were."""
    temps = [t.with_name(f".{t.name}.{secrets.token_hex(4)}.part") for t in targets]
    try:
        write(temps)
        for tmp, target in zip(temps, targets, strict=True):
            tmp.replace(target)
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)


def _xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]

    def cell(value: object) -> object:
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        if isinstance(value, str):  # control characters cannot be stored in a workbook
            return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        return value.item() if hasattr(value, "item") else value

    for title, frame in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append([str(c) for c in frame.columns])
        for values in frame.itertuples(index=False, name=None):
            sheet.append([cell(v) for v in values])
        for line in sheet.iter_rows():
            for c in line:
                if c.data_type == "f":  # «=…» from a resident is text, never a formula
                    c.data_type = "s"
        sheet.freeze_panes = "A2"
    book.save(path)
