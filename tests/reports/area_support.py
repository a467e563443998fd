"""Helpers for the report tests: PDF text with poppler's ``pdftotext``, figures printed as the bokmål
report prints them, and independent figures worked out from the store."""

from __future__ import annotations

import re
import subprocess
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

from nabolag.services import Context, observations, zones

NUMBER = re.compile(r"[−+-]?\d+(?:[ \u00a0]\d{3})*(?:,\d+)?")


def pdf_text(pdf: bytes, tmp: Path, layout: bool = False, plain_spaces: bool = False) -> str:
    """The PDF's text by poppler's ``pdftotext`` (``-layout``: lines as laid out); ``plain_spaces`` turns
    no-break and narrow no-break spaces into plain ones."""
    path = tmp / "report.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return out.replace("\xa0", " ").replace("\u202f", " ") if plain_spaces else out


def pdf_pages(pdf: bytes, tmp: Path) -> list[str]:
    """The text of each page (pdftotext puts a form feed between pages)."""
    return pdf_text(pdf, tmp).split("\f")


def nb(value: float, digits: int = 1) -> str:
    """A figure as the bokmål report prints it: rounded half to even from the number's shortest form (as
    babel does, not as ``f"{x:.1f}"`` rounds the binary float: 12.35 → «12,4»), decimal comma and a real
    minus sign; worked out here, independent of the code under test."""
    step = Decimal(1).scaleb(-digits)
    return str(Decimal(repr(float(value))).quantize(step, ROUND_HALF_EVEN)).replace(".", ",").replace("-", "−")


def pooled(ctx: Context, indicator: str, zone_codes: tuple[str, ...], period: str) -> tuple[float, float, float]:
    """Sum of numerators, sum of denominators and their ratio × 100 for ``zone_codes`` — straight from the
    stored observations, without the baseline service."""
    raw = observations.query(ctx, indicators=[indicator], zones=list(zone_codes), periods=[period], groups="")
    raw = raw[raw["zone"].isin(zone_codes)]
    assert set(raw["zone"]) == set(zone_codes), f"{indicator} {period}: missing zones"
    num, den = float(raw["numerator"].sum()), float(raw["denominator"].sum())
    return num, den, 100 * num / den


def area(ctx: Context, code: str = "groruddalen") -> tuple[tuple[str, ...], tuple[str, ...]]:
    a = zones.get_area(ctx, code)
    return a.zone_codes, a.comparison_codes


def html_numbers(html: str) -> list[str]:
    """The printed figure of every numeric table cell (first number in the cell), thousands spaces removed."""
    found = []
    for cell in re.findall(r'<td class="num[^"]*"[^>]*data-value="[^"]+"[^>]*>(.*?)</td>', html, flags=re.S):
        text = re.sub(r"<[^>]+>", " ", cell)
        text = text.replace("&#43;", "+")
        m = NUMBER.search(text)
        if m:
            found.append(m.group(0).replace("\u00a0", "").replace(" ", ""))
    return found


def squeeze(text: str) -> str:
    return re.sub(r"[\s\u00a0]+", "", text)
