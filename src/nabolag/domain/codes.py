"""Map old zone codes to current ones through municipal reforms.

A code that is not a known zone is followed through the transitions table
(renumbered and merged codes have one successor; a split has several and
cannot be mapped automatically). Codes below the municipality (bydel 6,
grunnkrets 8, delbydel 10 digits) start with the municipality number, so
their first four digits follow the municipality's changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from nabolag.domain.zones import Transition
from nabolag.i18n import _

SUB_MUNICIPAL_LENGTHS = (6, 8, 10)


@dataclass(frozen=True)
class Resolution:
    code: str | None  # the current code, or None
    steps: tuple[str, ...] = ()  # "1201→4601 (renumbered 2020)"
    problem: str | None = None  # why it could not be mapped


class CodeResolver:
    def __init__(self, known: Iterable[str], transitions: Iterable[Transition]) -> None:
        self.known = set(known)
        self.next: dict[str, list[Transition]] = defaultdict(list)
        for t in transitions:
            self.next[t.from_code].append(t)

    def resolve(self, code: str) -> Resolution:
        if code in self.known:
            return Resolution(code)
        whole = self._follow(code)
        if whole.code in self.known or whole.problem:
            return whole if whole.code in self.known else Resolution(None, whole.steps, whole.problem)
        if len(code) in SUB_MUNICIPAL_LENGTHS and code.isdigit():
            prefix = self._follow(code[:4])
            if prefix.problem:
                return Resolution(None, prefix.steps, prefix.problem)
            if prefix.code and prefix.code != code[:4]:
                candidate = prefix.code + code[4:]
                if candidate in self.known:
                    return Resolution(candidate, prefix.steps)
        return Resolution(None, whole.steps, None)

    def _follow(self, code: str) -> Resolution:
        steps: list[str] = []
        current = code
        for _step in range(20):  # chains are short; this bounds a cyclic table
            if current in self.known and current != code:
                break
            options = self.next.get(current, [])
            if not options:
                break
            split = _split(options)
            if split:
                return Resolution(None, tuple(steps),
                                  _("{code} ble delt i {codes} ({year}); kan ikke overføres automatisk",
                                    code=current, codes=", ".join(split[1]), year=split[0]))
            t = self._pick(options)
            steps.append(f"{current}→{t.to_code} ({t.change_type} {t.to_year})")
            current = t.to_code
        return Resolution(current if steps else None, tuple(steps))

    def _pick(self, options: list[Transition]) -> Transition:
        """One successor per reform: a known one if there is one, else the latest reform's.

        A table may list a code once per reform (``01→30`` in 2020 and ``01→31`` net of 2020-2024);
        that is not a split.
        """
        known = [t for t in options if t.to_code in self.known]
        return max(known or options, key=lambda t: t.to_year)


def _split(options: list[Transition]) -> tuple[int, list[str]] | None:
    """``(year, successors)`` when one reform gave the code several successors, else ``None``."""
    by_year: dict[int, set[str]] = defaultdict(set)
    for t in options:
        by_year[t.to_year].add(t.to_code)
    for year in sorted(by_year):
        if len(by_year[year]) > 1:
            return year, sorted(by_year[year])
    return None
