"""A problem found while validating input, and the report that collects them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from nabolag.i18n import _


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth saying) about one place in one file.

    ``row`` is the 1-based data row (the header is row 1 in a CSV, so the
    first data row is 2) or the feature number for geodata.
    """

    file: str
    message: str
    row: int | None = None
    field: str | None = None
    expected: str | None = None
    found: str | None = None
    severity: Severity = Severity.ERROR

    def describe(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.field:
            where += f" [{self.field}]"
        text = f"{where}: {self.message}"
        if self.expected is not None:
            text += _("; forventet {expected}", expected=self.expected)
        if self.found is not None:
            text += _("; fant «{found}»", found=_shorten(self.found))
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "expected": self.expected,
            "found": self.found,
            "severity": str(self.severity),
        }


def _shorten(text: str, limit: int = 80) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Report:
    """Everything validation found; errors stop an import, warnings do not."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0

    def error(self, message: str, **where: object) -> None:
        self.problems.append(Problem(self.file, message, **where))  # type: ignore[arg-type]

    def warning(self, message: str, **where: object) -> None:
        self.problems.append(Problem(self.file, message, severity=Severity.WARNING, **where))  # type: ignore[arg-type]

    def info(self, message: str, **where: object) -> None:
        self.problems.append(Problem(self.file, message, severity=Severity.INFO, **where))  # type: ignore[arg-type]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_if_errors(self) -> None:
        from nabolag.errors import InputError

        if self.errors:
            raise InputError(
                _("{file}: {n} feil; ingenting er lagret", file=self.file, n=len(self.errors)),
                self.errors,
            )
