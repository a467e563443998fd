"""Surveys: create, versions that never break earlier responses, translations, open and close, rights."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from nabolag.domain.survey import Choice
from nabolag.domain.zones import Area, Level, Zone
from nabolag.errors import ConflictError, InputError, PermissionDenied
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.services.survey import (
    add_version,
    close_survey,
    create_survey,
    get_questionnaire,
    get_survey,
    list_surveys,
    open_survey,
    translate,
    translation_template,
)
from nabolag.services.survey_submit import new_token, submit
from nabolag.store.tables import audit
from test_survey_support import GOOD, open_small_survey, small


def _as(ctx: Context, role: str, areas: tuple[str, ...] = ()) -> Context:
    return Context(settings=ctx.settings, store=ctx.store, actor=role, role=role, areas=areas)


def test_create_open_close_and_audit(ctx: Context) -> None:
    s = create_survey(ctx, small(), code="runde-2024", period="2024")
    assert (s.status, s.version, s.languages, s.mode, s.title) == ("draft", 1, ("nb", "en", "ar"), "open",
                                                                     "Livet i nabolaget")
    assert list_surveys(_as(ctx, "public")) == []  # the public sees open surveys only
    with pytest.raises(InputError, match="ikke åpen"):
        get_questionnaire(_as(ctx, "public"), "runde-2024")
    assert open_survey(ctx, "runde-2024").status == "open"
    assert [x.code for x in list_surveys(_as(ctx, "public"))] == ["runde-2024"]
    assert close_survey(ctx, "runde-2024").closed_at is not None
    with pytest.raises(ConflictError):
        create_survey(ctx, small(), code="runde-2024")
    with ctx.store.read() as conn:
        actions = [r.action for r in conn.execute(select(audit).where(audit.c.object_type == "survey"))]
    assert actions == ["create", "open", "closed"]


def test_bad_code_mode_and_area_are_named(ctx: Context) -> None:
    with pytest.raises(InputError) as caught:
        create_survey(ctx, small(), code="Ugyldig kode", mode="post")
    assert {p.field for p in caught.value.problems} == {"code", "mode"}
    with pytest.raises(InputError) as caught:
        create_survey(ctx, small(), code="x", area="finnes-ikke")
    assert caught.value.problems[0].field == "area"


def test_rights_viewer_public_and_coordinator(ctx: Context) -> None:
    zones.define_zones(ctx, [Zone(code="0301101001", name="Ammerud", level=Level.DELBYDEL)])
    zones.save_area(ctx, Area(code="ammerud", name="Ammerud", zone_codes=("0301101001",)))
    for role in ("viewer", "public"):
        with pytest.raises(PermissionDenied):
            create_survey(_as(ctx, role), small())
    with pytest.raises(PermissionDenied):  # a coordinator may not make a municipality-wide survey
        create_survey(_as(ctx, "coordinator", ("ammerud",)), small())
    s = create_survey(_as(ctx, "coordinator", ("ammerud",)), small(), area="ammerud")
    assert s.area == "ammerud"
    with pytest.raises(PermissionDenied):
        open_survey(_as(ctx, "coordinator", ("annet",)), s.code)


def test_a_new_version_may_add_but_never_remove_or_recode(ctx: Context) -> None:
    open_small_survey(ctx)
    q = small()
    first = submit(ctx, "kort-2024", GOOD, new_token(), "nb")
    sections = list(q.sections)
    extra = replace(sections[0].questions[3], choices=(*sections[0].questions[3].choices,
                                                       Choice("sykkel", {"nb": "Sykkel", "en": "Bike", "ar": "دراجة"})))
    sections[0] = replace(sections[0], questions=(*sections[0].questions[:3], extra, *sections[0].questions[4:]))
    assert add_version(ctx, "kort-2024", replace(q, sections=tuple(sections))).version == 2
    second = submit(ctx, "kort-2024", {**GOOD, "transport": "sykkel"}, new_token(), "nb")
    assert second.response_id > first.response_id
    dropped = replace(q, sections=(replace(q.sections[0], questions=q.sections[0].questions[1:]), q.sections[1]))
    recoded = replace(q, sections=(replace(q.sections[0], questions=(
        replace(q.sections[0].questions[0], type="likert", points=5), *q.sections[0].questions[1:])),
        q.sections[1]))
    for bad, words in ((dropped, "«trygg_dag» fra versjon 1 er fjernet"), (recoded, "«trygg_dag» har endret type"),
                       (q, "mangler svarkodene sykkel")):
        with pytest.raises(InputError, match=words) as caught:
            add_version(ctx, "kort-2024", bad, file="ny.yaml")
        assert all(p.file == "ny.yaml" for p in caught.value.problems)
    assert get_survey(ctx, "kort-2024").version == 2


def test_translate_adds_a_language_as_a_new_version(ctx: Context) -> None:
    open_small_survey(ctx)
    template = translation_template(ctx, "kort-2024", "nb", "so")
    assert template["trygg_dag.text"] == {"source": "Hvor trygg føler du deg om dagen?", "text": ""}
    with pytest.raises(InputError) as caught:
        translate(ctx, "kort-2024", "so", {"trygg_dag.text": "Sidee ammaan...", "ukjent.text": "x"})
    fields = {p.field for p in caught.value.problems}
    assert "ukjent.text" in fields and "transport.choice.buss" in fields
    texts = {k: f"[so] {v['source']}" for k, v in template.items()}
    s = translate(ctx, "kort-2024", "so", texts)
    assert s.languages == ("nb", "en", "ar", "so") and s.version == 2
    q = get_questionnaire(ctx, "kort-2024")
    assert q.by_id["transport"].choices[1].text["so"] == "[so] Buss"
    assert get_questionnaire(ctx, "kort-2024", version=1).languages == ("nb", "en", "ar")
    assert submit(ctx, "kort-2024", GOOD, new_token(), "so").response_id > 0
