"""Texts children and teachers see in a map campaign, in bokmål, nynorsk and English (data, like the
questionnaires' texts). The web picks one with :func:`text`; the codes are the domain's enum values."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "intro": {"nb": "Tegn veien din og merk steder du liker, unngår eller synes er farlige.",
              "nn": "Teikn vegen din og merk stader du likar, unngår eller synest er farlege.",
              "en": "Draw your way and mark places you like, avoid or find dangerous."},
    "enter_code": {"nb": "Skriv koden du fikk av læreren", "nn": "Skriv koden du fekk av læraren",
                   "en": "Type the code your teacher gave you"},
    "draw_route": {"nb": "Tegn en vei", "nn": "Teikn ein veg", "en": "Draw a route"},
    "mark_place": {"nb": "Merk et sted", "nn": "Merk ein stad", "en": "Mark a place"},
    "comment": {"nb": "Vil du skrive noe? (frivillig, høyst 300 tegn – ikke skriv navn)",
                "nn": "Vil du skrive noko? (frivillig, høgst 300 teikn – ikkje skriv namn)",
                "en": "Anything to add? (optional, at most 300 characters – no names, please)"},
    "grade": {"nb": "Hvilket trinn går du på? (frivillig)", "nn": "Kva trinn går du på? (frivillig)",
              "en": "Which grade are you in? (optional)"},
    "gender": {"nb": "Er du … (frivillig)", "nn": "Er du … (frivillig)", "en": "Are you … (optional)"},
    "gender.female": {"nb": "jente", "nn": "jente", "en": "a girl"},
    "gender.male": {"nb": "gutt", "nn": "gut", "en": "a boy"},
    "gender.other": {"nb": "annet / vil ikke si", "nn": "anna / vil ikkje seie", "en": "other / rather not say"},
    "thanks": {"nb": "Takk! Det er lagret.", "nn": "Takk! Det er lagra.", "en": "Thank you! It is saved."},
    "offline": {"nb": "Ingen nettforbindelse – vi sender når du er på nett igjen.",
                "nn": "Inga nettsamband – vi sender når du er på nett att.",
                "en": "No connection – we will send it when you are back online."},
    "purpose.school": {"nb": "Til skolen", "nn": "Til skulen", "en": "To school"},
    "purpose.leisure": {"nb": "Til fritidsaktivitet", "nn": "Til fritidsaktivitet", "en": "To a leisure activity"},
    "purpose.other": {"nb": "Annet", "nn": "Anna", "en": "Other"},
    "mode.walk": {"nb": "Går", "nn": "Går", "en": "Walk"},
    "mode.bike": {"nb": "Sykler", "nn": "Syklar", "en": "Bike"},
    "mode.bus": {"nb": "Buss", "nn": "Buss", "en": "Bus"},
    "mode.tram": {"nb": "Trikk", "nn": "Trikk", "en": "Tram"},
    "mode.metro": {"nb": "T-bane", "nn": "T-bane", "en": "Metro"},
    "mode.train": {"nb": "Tog", "nn": "Tog", "en": "Train"},
    "mode.car": {"nb": "Bil", "nn": "Bil", "en": "Car"},
    "mode.other": {"nb": "Annet (sparkesykkel, rullebrett …)", "nn": "Anna (sparkesykkel, rullebrett …)",
                   "en": "Other (scooter, skateboard …)"},
    "category.good": {"nb": "Et fint sted", "nn": "Ein fin stad", "en": "A good place"},
    "category.avoid": {"nb": "Et sted jeg unngår eller er utrygg", "nn": "Ein stad eg unngår eller er utrygg",
                       "en": "A place I avoid or feel unsafe"},
    "category.traffic": {"nb": "Farlig trafikk", "nn": "Farleg trafikk", "en": "Dangerous traffic"},
    "category.activity": {"nb": "Her leker eller trener jeg", "nn": "Her leikar eller trenar eg",
                          "en": "I play or do sports here"},
    "teacher.intro": {"nb": "Dette er klassens kart. Enkeltbidrag vises bare her, aldri offentlig.",
                      "nn": "Dette er kartet til klassen. Einskildbidrag blir berre viste her, aldri offentleg.",
                      "en": "This is the class's map. Single contributions are shown only here, never publicly."},
}


def text(key: str, lang: str) -> str:
    """The text ``key`` in ``lang`` (bokmål when that language is missing).

    >>> text("mode.bike", "nn"), text("mode.bike", "se")
    ('Syklar', 'Sykler')
    """
    found = TEXTS[key]
    return found.get(lang) or found["nb"]


def texts_in(lang: str) -> dict[str, str]:
    """Every text in ``lang`` (for a page that renders them all)."""
    return {k: text(k, lang) for k in TEXTS}
