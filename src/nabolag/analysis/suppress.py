"""Small-cell protection for published figures: primary and secondary suppression, rounding.

A *table* here is a DataFrame with one row per cell and the columns ``indicator``, ``place`` (a zone
or area code), ``period``, ``groups`` (``"gender=female;age=0-17"``, ``""`` for the total) and ``n``.
The cells are linked by additive *equations* ``total = sum(parts)``: a parent zone is the sum of its
children (:func:`hierarchy_equations`), a group total the sum of its categories
(:func:`group_equations`).

The steps, all deterministic (same table in, same cells out):

1. **Primary** (:func:`primary_suppression`): a cell whose count ``n`` is below the threshold
   (default 5, per indicator) is hidden, reason ``"primary: n<5"``.
2. **Secondary** (:func:`secondary_suppression`): in every equation whose cells are all known
   except exactly one hidden cell, that cell could be recomputed as *total - published parts* (or
   as the sum of the parts when the total is the hidden one). One more cell of the equation is then
   hidden: the part with the smallest ``n`` (the total only when there is no other part), reason
   ``"secondary: complement of 0301101001 in 030110"`` (``"secondary: part of hidden total 030110"``
   when the total was the hidden one). Hiding it may open another equation, so the step repeats
   until no equation has a single hidden cell.
3. **Rounding** (:func:`round_to_base`): the counts that are published are rounded to a base
   (e.g. 5), half up.

What this protects against: exact recomputation of a hidden cell from *one* equation of the
published table: parent minus published children, total minus published categories, across any
depth of hierarchy and any number of disaggregation variables, in any combination (a cell hidden
for a group equation is re-checked in the zone equations and vice versa).

What it does not protect against (say so where figures are published):

- solving *several* equations together (in some linked tables, combining sums that each have two
  or more hidden cells can still isolate one), or bounding a hidden cell by the others being
  non-negative (interval attacks: a hidden pair known to sum to 1 gives each as 0 or 1);
- differencing between overlapping, non-nested areas, between periods (2020 and 2020/2022) or
  between indicators that add up (western + non-western immigrants = immigrants);
- equations the table does not show: a parent total published elsewhere is not known here;
- it is a greedy rule, not an optimal cell-suppression model (no linear programme minimising the
  information lost); it may hide more than needed, never fewer than one extra cell per leak.

Non-additive figures (shares, rates, means) are treated as if they were additive, which is safe:
their numerators usually are.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nabolag.domain.observations import groups_key, parse_groups

#: Reason codes (stable text, English like the status codes; the services translate them).
PRIMARY = "primary: n<{threshold}"
SECONDARY = "secondary: complement of {cell} in {total}"
SECONDARY_OF_TOTAL = "secondary: part of hidden total {total}"
SOURCE = "source: confidential"
TOTAL_LABEL = "total"


def primary_suppression(n: np.ndarray, threshold: np.ndarray | int) -> np.ndarray:
    """Mask of cells to suppress: those with a known count ``n`` below ``threshold`` (and above 0
    units of nothing: ``n == 0`` is also suppressed, as a zero can reveal the rest of a total).

    Cells with unknown ``n`` (NaN) are not suppressed here; their source is responsible.

    Examples
    --------
    >>> primary_suppression(np.array([0, 3, 4, 5, np.nan]), 5).tolist()
    [True, True, True, False, False]
    """
    n = np.asarray(n, dtype=float)
    thr = np.broadcast_to(np.asarray(threshold, dtype=float), n.shape)
    return np.isfinite(n) & (n < thr)


def round_to_base(x: np.ndarray, base: int = 5) -> np.ndarray:
    """Round counts to the nearest multiple of ``base``, halves up; ``base <= 1`` leaves them as they are.

    Rounding blurs what a difference of published counts reveals (e.g. between an area and the sum
    of its zones). It is applied to published cells only: suppression decisions use exact counts.
    NaN stays NaN.

    Examples
    --------
    >>> round_to_base(np.array([5, 7, 7.5, 12, 12.5, 3102, np.nan]), 5).tolist()
    [5.0, 5.0, 10.0, 10.0, 15.0, 3100.0, nan]
    >>> round_to_base(np.array([12.0]), 1).tolist()
    [12.0]
    """
    x = np.asarray(x, dtype=float)
    if base <= 1:
        return x.copy()
    return np.floor(x / base + 0.5) * base


@dataclass(frozen=True)
class Equation:
    """``table[total] = sum(table[parts])``: positions of the cells in the table, with the labels
    (zone code, groups key) that a reason names them by."""

    total: int
    parts: tuple[int, ...]
    total_label: str
    part_labels: tuple[str, ...]

    def label(self, position: int) -> str:
        return self.total_label if position == self.total else self.part_labels[self.parts.index(position)]


def _cells(table: pd.DataFrame, by: Sequence[str], dim: str) -> dict[tuple[object, ...], dict[str, int]]:
    """``{values of by: {value of dim: position}}``."""
    out: dict[tuple[object, ...], dict[str, int]] = defaultdict(dict)
    keys = zip(*(table[c].tolist() for c in by), strict=True) if by else iter([()] * len(table))
    for pos, (key, d) in enumerate(zip(keys, table[dim].tolist(), strict=True)):
        out[tuple(key)][str(d)] = pos
    return out


def hierarchy_equations(table: pd.DataFrame, edges: Iterable[tuple[str, str]], place: str = "place",
                        by: Sequence[str] = ("indicator", "period", "groups")) -> list[Equation]:
    """One equation per parent that is in the table with at least one of its children, for every
    combination of ``by``. ``edges`` are ``(parent, child)`` codes: zone → parent zone, or a
    programme area → its zones.

    Examples
    --------
    >>> t = pd.DataFrame({"indicator": "x", "period": "2023", "groups": "",
    ...                   "place": ["030110", "0301101001", "0301101002", "0301101005"]})
    >>> [e.total_label + " = " + " + ".join(e.part_labels)
    ...  for e in hierarchy_equations(t, [("030110", c) for c in t["place"][1:]])]
    ['030110 = 0301101001 + 0301101002 + 0301101005']
    """
    children: dict[str, list[str]] = defaultdict(list)
    for parent, child in edges:
        if parent and child and parent != child:
            children[str(parent)].append(str(child))
    equations = []
    for _key, cells in sorted(_cells(table, by, place).items(), key=lambda kv: str(kv[0])):
        for parent in sorted(p for p in cells if p in children):
            kids = sorted(c for c in set(children[parent]) if c in cells)
            if kids:
                equations.append(Equation(cells[parent], tuple(cells[c] for c in kids), parent, tuple(kids)))
    return equations


def group_equations(table: pd.DataFrame, groups: str = "groups",
                    by: Sequence[str] = ("indicator", "place", "period")) -> list[Equation]:
    """One equation per disaggregation variable: the categories of ``gender`` add up to the cell
    without ``gender`` (``age=0-17;gender=female`` + ``age=0-17;gender=male`` = ``age=0-17``).

    The categories present are taken as complete, which is the cautious assumption: if one is
    missing, what the total reveals is shared with it.

    Examples
    --------
    >>> t = pd.DataFrame({"indicator": "x", "place": "0301", "period": "2023",
    ...                   "groups": ["", "gender=female", "gender=male"]})
    >>> [(e.total_label, e.part_labels) for e in group_equations(t)]
    [('total', ('gender=female', 'gender=male'))]
    """
    equations = []
    for _key, cells in sorted(_cells(table, by, groups).items(), key=lambda kv: str(kv[0])):
        if len(cells) < 2:  # a total alone, or one category alone: no equation
            continue
        families: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key in cells:
            parts = parse_groups(key)
            for var in parts:
                families[(groups_key({k: v for k, v in parts.items() if k != var}), var)].append(key)
        for (total, _var), members in sorted(families.items()):
            if total in cells:
                members = sorted(members)
                equations.append(Equation(cells[total], tuple(cells[m] for m in members), total or TOTAL_LABEL,
                                          tuple(members)))
    return equations


def secondary_suppression(hidden: np.ndarray, equations: Sequence[Equation], size: np.ndarray,
                          missing: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Hide more cells until no equation has exactly one hidden cell among otherwise known cells.

    ``hidden`` marks the cells already hidden (primary, or by the source); ``size`` orders the
    candidates (usually ``n``; NaN counts as largest; ties go to the first label in sort order, so
    that the order of the rows does not matter);
    ``missing`` marks cells that are not published but need no protection (not available): an
    equation with one of those reveals nothing. Returns the new mask and the reason for each cell
    hidden here (``""`` elsewhere).

    Examples
    --------
    A parent (position 0) with three children, the first child hidden by the primary rule: the
    smallest of the two others is hidden too, so that parent - siblings gives only their sum.

    >>> eq = Equation(0, (1, 2, 3), "030110", ("0301101001", "0301101002", "0301101005"))
    >>> mask, why = secondary_suppression(np.array([False, True, False, False]), [eq],
    ...                                   size=np.array([60.0, 3, 40, 17]))
    >>> mask.tolist(), why.tolist()
    ([False, True, False, True], ['', '', '', 'secondary: complement of 0301101001 in 030110'])
    """
    hidden = np.asarray(hidden, dtype=bool).copy()
    missing = np.zeros(len(hidden), bool) if missing is None else np.asarray(missing, dtype=bool)
    order = np.where(np.isfinite(np.asarray(size, dtype=float)), np.asarray(size, dtype=float), np.inf)
    reasons = np.full(len(hidden), "", dtype=object)
    containing: dict[int, list[int]] = defaultdict(list)
    for k, eq in enumerate(equations):
        for pos in (eq.total, *eq.parts):
            containing[pos].append(k)
    queue, queued = deque(range(len(equations))), [True] * len(equations)
    while queue:
        k = queue.popleft()
        queued[k] = False
        eq = equations[k]
        cells = (eq.total, *eq.parts)
        exposed = [p for p in cells if hidden[p]]
        if len(exposed) != 1 or any(missing[p] for p in cells if not hidden[p]):
            continue
        candidates = [p for p in eq.parts if not hidden[p]] or [eq.total]
        pick = min(candidates, key=lambda p: (order[p], eq.label(p)))
        hidden[pick] = True
        reasons[pick] = (SECONDARY_OF_TOTAL.format(total=eq.total_label) if exposed[0] == eq.total
                         else SECONDARY.format(cell=eq.label(exposed[0]), total=eq.total_label))
        for j in containing[pick]:
            if not queued[j]:
                queue.append(j)
                queued[j] = True
    return hidden, reasons


def small_cell_protection(table: pd.DataFrame, threshold: np.ndarray | int = 5,
                          edges: Iterable[tuple[str, str]] = (), hidden_at_source: np.ndarray | None = None,
                          missing: np.ndarray | None = None) -> pd.DataFrame:
    """Primary and secondary suppression of a whole table; returns ``suppressed`` and ``reason`` per row.

    ``table`` has the columns ``indicator``, ``place``, ``period``, ``groups``, ``n``; ``edges`` the
    ``(parent, child)`` links of the places; ``hidden_at_source`` marks cells the source already hid
    (SSB's ``:``), which need the same protection (reason ``"source: confidential"``).

    Examples
    --------
    >>> t = pd.DataFrame({"indicator": "x", "period": "2023", "groups": "",
    ...                   "place": ["030110", "0301101001", "0301101002", "0301101005"],
    ...                   "n": [60, 3, 40, 17]})
    >>> out = small_cell_protection(t, 5, [("030110", c) for c in t["place"][1:]])
    >>> out["suppressed"].tolist()
    [False, True, False, True]
    >>> out["reason"].tolist()
    ['', 'primary: n<5', '', 'secondary: complement of 0301101001 in 030110']
    """
    table = table.reset_index(drop=True)
    n = table["n"].to_numpy(dtype=float)
    source = np.zeros(len(table), bool) if hidden_at_source is None else np.asarray(hidden_at_source, dtype=bool)
    primary = primary_suppression(n, threshold) & ~source
    thr = np.broadcast_to(np.asarray(threshold, dtype=float), n.shape)
    reason = np.full(len(table), "", dtype=object)
    reason[source] = SOURCE
    reason[primary] = [PRIMARY.format(threshold=f"{t:g}") for t in thr[primary]]
    equations = hierarchy_equations(table, edges) + group_equations(table)
    mask, secondary = secondary_suppression(source | primary, equations, n, missing)
    reason = np.where(secondary != "", secondary, reason)
    return pd.DataFrame({"suppressed": mask, "reason": reason.astype(object)})
