"""Texts children and teachers see in a map campaign, in bokmål, nynorsk and English: the prompts and the
names of modes, purposes and categories (the codes are the domain's enum values), and the child's map
page's own buttons, steps and messages. Data, like the questionnaires' texts, not ``_()``: the message
catalogue has bokmål and English only, and children also read nynorsk. One table; the services, the
page and its script pick from it with :func:`text` and :func:`texts_in`."""

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
    # the child's map page: buttons, steps, messages
    "start.title": {"nb": "Kart for barn og unge", "nn": "Kart for born og unge", "en": "Map for children"},
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


def text(key: str, lang: str) -> str:
    """The text ``key`` in ``lang`` (bokmål when that language is missing).

    >>> text("mode.bike", "nn"), text("mode.bike", "se")
    ('Syklar', 'Sykler')
    """
    found = TEXTS[key]
    return found.get(lang) or found["nb"]


def texts_in(lang: str) -> dict[str, str]:
    """Every text in ``lang`` (for a page that renders them all: the child's map and its script).

    >>> texts_in("nn")["undo"], texts_in("en")["mode.walk"]
    ('Angre siste punkt', 'Walk')
    """
    return {k: text(k, lang) for k in TEXTS}
