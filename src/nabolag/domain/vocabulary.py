"""The vocabulary of social sustainability: three dimensions and the main themes, each linked to the UN
Sustainable Development Goal (SDG) targets it serves.

The defaults follow the source documents (three dimensions; fair access to resources, public health,
social capital, democratic participation and trust, safety, education and social mobility, services).
An administrator may edit them; the defaults are stored by migration 0006.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from nabolag.i18n import _


class TermKind(StrEnum):
    DIMENSION = "dimension"
    THEME = "theme"


_SDG_TARGET = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-c])$")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$")


def check_code(code: str) -> str | None:
    """Why ``code`` cannot be a code (letters a–z, digits, ``. _ -``; 1–60 characters), or None.

    >>> check_code("ammerudgymmen") is None, check_code("Ammerud gym") is None
    (True, False)
    """
    if CODE_PATTERN.match(code):
        return None
    return _("koden må ha 1–60 tegn: bokstavene a–z, sifre, punktum, _ eller -, og begynne med bokstav eller siffer")


def is_sdg_target(text: str) -> bool:
    """A UN SDG target such as ``3.4``, ``11.7`` or ``16.b`` (goal 1–17).

    >>> is_sdg_target("11.7"), is_sdg_target("16.b"), is_sdg_target("18.1"), is_sdg_target("3")
    (True, True, False, False)
    """
    m = _SDG_TARGET.match(text.strip())
    return bool(m) and 1 <= int(m.group(1)) <= 17  # type: ignore[union-attr]


@dataclass(frozen=True)
class Term:
    """A dimension or a theme, with bokmål and English names and the SDG targets it serves."""

    kind: TermKind
    code: str
    name_nb: str
    name_en: str = ""
    description: str = ""
    sdg_targets: tuple[str, ...] = ()
    sort_order: int = 0

    def name(self, lang: str = "nb") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_nb


def check_term(term: Term) -> list[tuple[str, str]]:
    """Problems with a term as ``(field, message)`` pairs."""
    problems = []
    bad_code = check_code(term.code)
    if bad_code:
        problems.append(("code", bad_code))
    if not term.name_nb.strip() or len(term.name_nb) > 200:
        problems.append(("name_nb", _("navnet må ha 1–{n} tegn", n=200)))
    if len(term.name_en) > 200:
        problems.append(("name_en", _("navnet må ha 1–{n} tegn", n=200)))
    bad = [t for t in term.sdg_targets if not is_sdg_target(t)]
    if bad:
        problems.append(("sdg_targets", _("ukjente bærekraftsdelmål {targets}; forventet for eksempel 3.4 eller 16.7",
                                             targets=", ".join(bad))))
    return problems


D, T = TermKind.DIMENSION, TermKind.THEME

DEFAULT_TERMS: tuple[Term, ...] = (
    Term(D, "individ", "Individets behov", "Individual needs",
         "Grunnleggende materielle og immaterielle behov hos den enkelte.", ("1.2", "1.3", "3.4"), 1),
    Term(D, "samspill", "Samspill mellom individ og lokalsamfunn", "Interaction between individual and community",
         "Rettferdig fordeling av ressurser og goder.", ("10.2", "10.3", "11.1"), 2),
    Term(D, "lokalsamfunn", "Lokalsamfunnets strukturer og kapasitet", "The community's structures and capacity",
         "Nettverk, organisasjoner, møteplasser og evnen til å handle sammen.", ("11.3", "16.7", "17.17"), 3),
    Term(T, "rettferdig_tilgang", "Rettferdig tilgang til ressurser", "Fair access to resources",
         "Bolig, arbeid, inntekt, grøntområder og tjenester fordelt rettferdig.", ("1.4", "10.2", "10.3", "11.1"), 1),
    Term(T, "folkehelse", "Helsefremmende lokalsamfunn (folkehelse)", "Public health",
         "Fysisk aktivitet, helsefremmende omgivelser og sosial støtte.", ("3.4", "11.7"), 2),
    Term(T, "sosial_kapital", "Sosial kapital, nettverk og stedstilhørighet",
         "Social capital, networks and place attachment",
         "Møteplasser, frivillighet, nabofellesskap og tilhørighet til stedet.", ("10.2", "11.3", "11.7"), 3),
    Term(T, "demokrati", "Demokratisk deltakelse og tillit", "Democratic participation and trust",
         "Medvirkning, lokale foreninger, styreverv og tillit til institusjoner.", ("16.6", "16.7"), 4),
    Term(T, "trygghet", "Trygghet", "Safety",
         "Opplevd trygghet dag og kveld, kriminalitet og trygge offentlige rom.", ("5.2", "11.7", "16.1"), 5),
    Term(T, "utdanning", "Utdanning og sosial mobilitet", "Education and social mobility",
         "Skole, kvalifisering, arbeid og muligheten til å bevege seg sosialt.", ("4.1", "4.4", "8.6", "10.1"), 6),
    Term(T, "tjenester", "Tjenester", "Services",
         "Tilgang til offentlige og private tjenester i nærmiljøet.", ("1.4", "3.8"), 7),
)
