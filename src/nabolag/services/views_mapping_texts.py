"""The children's map page's own texts (buttons, steps, messages) in bokmål, nynorsk and English, beside the
domain's texts (:mod:`nabolag.domain.mapping_texts`: prompts, modes, purposes, categories). Data, not
``_()``: the message catalogue has bokmål and English only, and children also read nynorsk."""

from __future__ import annotations

from nabolag.domain.mapping_texts import texts_in

PAGE_TEXTS: dict[str, dict[str, str]] = {
    "start.title": {"nb": "Kart for barn og unge", "nn": "Kart for born og unge", "en": "Map for children"},
    "start.code": {"nb": "Koden", "nn": "Koden", "en": "The code"},
    "start.open": {"nb": "Åpne kartet", "nn": "Opne kartet", "en": "Open the map"},
    "start.teacher": {"nb": "Er du lærer? Skriv lærerkoden", "nn": "Er du lærar? Skriv lærarkoden",
                      "en": "Are you a teacher? Type the teacher code"},
    "start.teacher_open": {"nb": "Se klassens kart", "nn": "Sjå kartet til klassen", "en": "See the class's map"},
    "language": {"nb": "Språk", "nn": "Språk", "en": "Language"},
    "about_you": {"nb": "Om deg (frivillig)", "nn": "Om deg (frivillig)", "en": "About you (optional)"},
    "no_answer": {"nb": "Vil ikke si", "nn": "Vil ikkje seie", "en": "Rather not say"},
    "route.help": {"nb": "Trykk på kartet for hvert punkt langs veien. Trykk «Ferdig» når du er fremme.",
                   "nn": "Trykk på kartet for kvart punkt langs vegen. Trykk «Ferdig» når du er framme.",
                   "en": "Tap the map for each point along the way. Tap «Done» when you are there."},
    "place.help": {"nb": "Trykk på kartet der stedet er.", "nn": "Trykk på kartet der staden er.",
                   "en": "Tap the map where the place is."},
    "center.point": {"nb": "Legg til punkt midt i kartet", "nn": "Legg til punkt midt i kartet",
                     "en": "Add a point in the middle of the map"},
    "center.help": {"nb": "Med tastatur: flytt kartet med piltastene så korset står der du vil, og bruk knappen.",
                    "nn": "Med tastatur: flytt kartet med piltastane så krossen står der du vil, og bruk knappen.",
                    "en": "With a keyboard: move the map with the arrow keys so the cross is where you want, "
                          "then use the button."},
    "undo": {"nb": "Angre siste punkt", "nn": "Angre siste punkt", "en": "Undo last point"},
    "done": {"nb": "Ferdig", "nn": "Ferdig", "en": "Done"},
    "cancel": {"nb": "Avbryt", "nn": "Avbryt", "en": "Cancel"},
    "send": {"nb": "Send", "nn": "Send", "en": "Send"},
    "points": {"nb": "punkter", "nn": "punkt", "en": "points"},
    "how": {"nb": "Hvordan reiser du?", "nn": "Korleis reiser du?", "en": "How do you travel?"},
    "where_to": {"nb": "Hvor skal du?", "nn": "Kvar skal du?", "en": "Where are you going?"},
    "what_place": {"nb": "Hva slags sted er det?", "nn": "Kva slags stad er det?", "en": "What kind of place is it?"},
    "need_two": {"nb": "En vei trenger minst to punkter.", "nn": "Ein veg treng minst to punkt.",
                 "en": "A route needs at least two points."},
    "need_place": {"nb": "Trykk på kartet der stedet er først.", "nn": "Trykk på kartet der staden er først.",
                   "en": "Tap the map where the place is first."},
    "choose": {"nb": "Velg ett svar.", "nn": "Vel eitt svar.", "en": "Choose one answer."},
    "sending": {"nb": "Sender …", "nn": "Sender …", "en": "Sending …"},
    "not_saved": {"nb": "Ikke lagret:", "nn": "Ikkje lagra:", "en": "Not saved:"},
    "waiting": {"nb": "venter på å bli sendt", "nn": "ventar på å bli sendt", "en": "waiting to be sent"},
    "sent_list": {"nb": "Det du har sendt", "nn": "Det du har sendt", "en": "What you have sent"},
    "route": {"nb": "Vei", "nn": "Veg", "en": "Route"},
    "place": {"nb": "Sted", "nn": "Stad", "en": "Place"},
    "closed": {"nb": "Kartleggingen er ikke åpen nå. Du kan se kartet, men ikke sende.",
               "nn": "Kartlegginga er ikkje open no. Du kan sjå kartet, men ikkje sende.",
               "en": "The mapping is not open now. You can look at the map but not send."},
    "map": {"nb": "Kart", "nn": "Kart", "en": "Map"},
    "noscript": {"nb": "Kartet trenger JavaScript. Be læreren om hjelp.",
                 "nn": "Kartet treng JavaScript. Be læraren om hjelp.",
                 "en": "The map needs JavaScript. Ask your teacher for help."},
    "school": {"nb": "Skolen", "nn": "Skulen", "en": "The school"},
}


def page_text(key: str, lang: str) -> str:
    """One of the page's texts in ``lang`` (bokmål when missing).

    >>> page_text("undo", "en"), page_text("undo", "se")
    ('Undo last point', 'Angre siste punkt')
    """
    found = PAGE_TEXTS[key]
    return found.get(lang) or found["nb"]


def child_texts(lang: str) -> dict[str, str]:
    """The domain's children's texts and the page's own, in one dict for the template and the script."""
    return texts_in(lang) | {k: page_text(k, lang) for k in PAGE_TEXTS}
