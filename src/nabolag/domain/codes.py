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
        for _ in range(20):  # chains are short; this bounds a cyclic table
            if current in self.known and current != code:
                break
            options = self.next.get(current, [])
            if not options:
                break
            successors = sorted({t.to_code for t in options})
            if len(successors) > 1:
                t = options[0]
                return Resolution(None, tuple(steps),
                                  _("{code} ble delt i {codes} ({year}); kan ikke overføres automatisk",
                                    code=current, codes=", ".join(successors), year=t.to_year))
            t = options[0]
            steps.append(f"{current}→{t.to_code} ({t.change_type} {t.to_year})")
            current = t.to_code
        return Resolution(current if steps else None, tuple(steps))
