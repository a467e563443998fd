"""The logic model (tree, values, flags, Markdown) and the vocabulary (defaults, admin edits)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from nabolag.domain.programme import IndicatorLink
from nabolag.domain.vocabulary import DEFAULT_TERMS, Term, TermKind
from nabolag.errors import ConflictError, InputError, PermissionDenied
from nabolag.services import Context, observations
from nabolag.services import programme as svc
from nabolag.services import vocabulary as voc
from nabolag.services.logic_model import logic_model
from nabolag.services.logic_model_text import render_markdown
from services.test_programme_support import AREA, as_role, goal, measure, setup


@pytest.fixture
def pctx(ctx: Context, shared: Path) -> Context:
    setup(ctx, shared)
    return ctx


def _flags(model: dict[str, object]) -> set[tuple[str, str]]:
    return {(str(f["code"]), str(f.get("goal") or f.get("measure"))) for f in model["flags"]}  # type: ignore[attr-defined]


def test_logic_model_tree_values_and_flags(pctx: Context) -> None:
    svc.save_goal(pctx, goal())  # bruk_utegym with method and target 30 by 2026
    svc.save_goal(pctx, goal("tomt", indicators=()))  # neither measure nor indicator
    svc.save_measure(pctx, measure(indicators=(IndicatorLink("bruk_utegym", "observation"),
                                               IndicatorLink("trygghet_kveld", "", "aktivitet"))))
    svc.save_measure(pctx, measure("lost", goals=(), indicators=()))
    frame = pd.DataFrame({"indicator": "bruk_utegym", "area": AREA, "period": ["2021", "2023", "2022"],
                          "value": [10.0, 20.0, 14.0]})
    observations.load_frame(pctx, frame, file_name="tellinger")
    model = logic_model(pctx, AREA)
    assert [g["code"] for g in model["goals"]] == ["aktivitet", "tomt"]  # type: ignore[index]
    aktivitet = model["goals"][0]  # type: ignore[index]
    own = aktivitet["indicators"][0]
    assert own["baseline"] == {"period": "2021", "value": 10.0, "source": "first_observation"}
    assert own["latest"] == {"period": "2023", "value": 20.0} and own["change"] == 10.0
    assert own["target"] == {"value": 30.0, "period": "2026"} and own["method_label"].startswith("observasjon")
    gym = aktivitet["measures"][0]
    assert gym["code"] == "utegym" and gym["progress"] == 50.0 and gym["status_label"] == "i gang"
    assert [n["code"] for n in gym["indicators"]] == ["bruk_utegym", "trygghet_kveld"]
    assert gym["indicators"][0]["target"] == own["target"]  # the goal's target, measured through the measure
    assert _flags(model) >= {("goal_without_indicator", "tomt"), ("goal_without_measure", "tomt"),
                             ("indicator_without_method", "aktivitet"), ("measure_without_goal", "lost"),
                             ("indicator_without_data", "aktivitet")}
    assert ("goal_without_indicator", "aktivitet") not in _flags(model)
    assert model["flags"][0]["severity"] == "error"  # type: ignore[index]
    text = render_markdown(model)
    assert "# Logikkmodell: Groruddalen" in text and "## Mål: Mer aktivitet (`aktivitet`)" in text
    assert "| (målet) | Bruk av utegym (`bruk_utegym`) antall | observasjon (tellinger på stedet) | 10 (2021) | " \
           "30 (2026) | 20 (2023) |" in text
    assert "⛔ Målet tomt har ingen indikator: ingen vet om det nås" in text
    assert "⛔ Indikatoren trygghet_kveld (tiltaket utegym) har ingen målemetode" in text
    assert "⚠ Tiltaket lost tjener ikke noe mål" in text


def test_logic_model_in_english(pctx: Context) -> None:
    from nabolag.i18n import set_language

    svc.save_goal(pctx, goal())
    set_language("en")
    model = logic_model(pctx, AREA)
    assert model["goals"][0]["dimension"]["name"] == "Individual needs"  # type: ignore[index]
    assert model["goals"][0]["themes"][0] == {"code": "folkehelse", "name": "Public health",  # type: ignore[index]
                                              "sdg_targets": ["3.4", "11.7"]}


def test_vocabulary_ships_its_defaults_and_an_admin_edits_it(pctx: Context) -> None:
    assert voc.list_terms(pctx) == sorted(DEFAULT_TERMS, key=lambda t: (str(t.kind), t.sort_order, t.code))
    themes = {t.code for t in voc.list_terms(pctx, "theme")}
    assert {"rettferdig_tilgang", "folkehelse", "sosial_kapital", "demokrati", "trygghet", "utdanning",
            "tjenester"} == themes
    assert all(t.sdg_targets for t in DEFAULT_TERMS)
    new = Term(TermKind.THEME, "kultur", "Kultur og fritid", "Culture and leisure", sdg_targets=("11.4",))
    for role in ("analyst", "coordinator", "viewer", "public"):
        with pytest.raises(PermissionDenied):
            voc.save_term(as_role(pctx, role), new)
    assert voc.save_term(pctx, new) is True
    assert voc.save_term(pctx, Term(TermKind.THEME, "kultur", "Kultur", sdg_targets=("11.4", "4.7"))) is False
    with pytest.raises(InputError, match="19.1"):
        voc.save_term(pctx, Term(TermKind.THEME, "x", "X", sdg_targets=("19.1",)))
    with pytest.raises(InputError, match="«emne»"):
        voc.save_term(pctx, Term("emne", "x", "X"))  # type: ignore[arg-type]
    svc.save_goal(pctx, goal(themes=("kultur",)))
    with pytest.raises(ConflictError, match="kultur"):
        voc.remove_term(pctx, "theme", "kultur")
    svc.remove_goal(pctx, AREA, "aktivitet")
    voc.remove_term(pctx, "theme", "kultur")
    voc.save_term(pctx, Term(TermKind.THEME, "trygghet", "Endret"))
    assert voc.restore_defaults(pctx) == 1
    assert voc.list_terms(pctx) == sorted(DEFAULT_TERMS, key=lambda t: (str(t.kind), t.sort_order, t.code))


def test_logic_model_text_writes_decimals_as_the_language_does() -> None:
    from nabolag.i18n import set_language
    from nabolag.services.logic_model_text import _fmt

    assert (_fmt(83.333), _fmt(0.053), _fmt(70.0)) == ("83,3", "0,053", "70")  # bokmål: decimal comma
    set_language("en")
    assert (_fmt(83.333), _fmt(0.053)) == ("83.3", "0.053")
