"""Map campaigns and children's contributions (issue 7, stage 1): rights, codes, exactly once, and bad input
refused with the field named and nothing saved."""

from __future__ import annotations

import threading

import pytest
import shapely

from geo_support import dump
from nabolag.domain.mapping import MapCampaign
from nabolag.errors import ConflictError, InputError, NotFoundError, PermissionDenied
from nabolag.services import Context
from nabolag.services.mapping import (
    close_campaign,
    contribute,
    create_campaign,
    get_campaign,
    list_campaigns,
    list_contributions,
    new_codes,
    teacher_campaign,
)
from nabolag.store import mapping as repo
from test_mapping_support import open_test_campaign, place, route, setup_place, token

HOME = (10.86, 59.95)
SCHOOL = (10.875, 59.962)


@pytest.fixture
def campaign(ctx: Context) -> MapCampaign:
    setup_place(ctx)
    return open_test_campaign(ctx)


def _as(ctx: Context, role: str, areas: tuple[str, ...] = ()) -> Context:
    return Context(settings=ctx.settings, store=ctx.store, actor=role, role=role, areas=areas)


def test_create_gives_codes_to_staff_only(ctx: Context, campaign: MapCampaign) -> None:
    assert campaign.status == "open" and len(campaign.access_code) == 9 and campaign.access_code[4] == "-"
    assert campaign.access_code != campaign.teacher_code
    viewer = _as(ctx, "viewer")
    seen = get_campaign(viewer, campaign.code)
    assert seen.access_code == "" and seen.teacher_code == "" and seen.school == "Ammerud skole"
    assert list_campaigns(_as(ctx, "public")) == []
    assert get_campaign(_as(ctx, "coordinator", ("groruddalen",)), campaign.code).access_code == campaign.access_code
    with pytest.raises(PermissionDenied):
        create_campaign(_as(ctx, "coordinator", ("annet",)), MapCampaign(
            code="x", title="X", school="S", grade_group="1-4", area_code="groruddalen"))
    with pytest.raises(PermissionDenied):
        create_campaign(_as(ctx, "coordinator", ("groruddalen",)), MapCampaign(
            code="x", title="X", school="S", grade_group="1-4"))
    with ctx.store.read() as conn:
        actions = [r[0] for r in conn.exec_driver_sql(
            "select action from audit where object_type = 'map_campaign' order by id")]
    assert actions == ["create", "open"]


def test_bad_campaign_names_each_field(ctx: Context) -> None:
    setup_place(ctx)
    with pytest.raises(InputError) as err:
        create_campaign(ctx, MapCampaign(code="Bad code", title="", school="S", grade_group="7-5",
                                         languages=("nb", "sv"), school_zone="9999", area_code="ukjent",
                                         bounds=shapely.to_wkb(shapely.Point(1, 2))))
    fields = {p.field for p in err.value.problems}
    assert {"code", "title", "grade_group", "languages", "bounds"} <= fields
    with pytest.raises(InputError) as err:
        create_campaign(ctx, MapCampaign(code="ok", title="T", school="S", grade_group="5-7",
                                         school_zone="9999", area_code="ukjent"))
    assert {p.field for p in err.value.problems} == {"area", "school_zone"}
    assert list_campaigns(ctx) == []


def test_contribute_exactly_once_and_listed_for_the_teacher(ctx: Context, campaign: MapCampaign) -> None:
    public = _as(ctx, "public")
    t = token()
    code_as_typed = campaign.access_code.lower().replace("-", " ")
    first = contribute(public, code_as_typed, route(HOME, (10.87, 59.955), SCHOOL, comment="<b>Fin vei</b>",
                                                   grade=6, gender="female", participant="barn-000001"), t)
    again = contribute(public, campaign.access_code, route(HOME, SCHOOL), t)
    assert not first.duplicate and again.duplicate and again.contribution_id == first.contribution_id
    contribute(public, campaign.access_code, place(10.88, 59.96, "traffic", comment="Farlig kryss"), token())
    with pytest.raises(PermissionDenied):
        list_contributions(public, campaign.code)
    with pytest.raises(PermissionDenied):
        list_contributions(_as(ctx, "viewer"), campaign.code)
    for reader, teacher in ((public, campaign.teacher_code), (_as(ctx, "analyst"), None)):
        found = list_contributions(reader, campaign.code, teacher_code=teacher)
        assert [c.kind for c in found] == ["route", "place"]
    assert found[0].comment == "<b>Fin vei</b>" and found[0].mode == "walk" and found[0].grade == 6
    assert found[0].geometry["coordinates"][0] == HOME
    assert "participant" not in found[0].as_feature()["properties"]
    assert teacher_campaign(public, campaign.teacher_code).code == campaign.code
    with pytest.raises(InputError):
        teacher_campaign(public, campaign.access_code)


def test_token_of_another_campaign_is_a_conflict(ctx: Context, campaign: MapCampaign) -> None:
    other = open_test_campaign(ctx, "lindeberg-1-4", school="Lindeberg skole", grade_group="1-4")
    t = token()
    contribute(ctx, campaign.access_code, place(10.86, 59.95), t)
    with pytest.raises(ConflictError):
        contribute(ctx, other.access_code, place(10.86, 59.95), t)


@pytest.mark.parametrize(("code", "data", "field", "words"), [
    ("forged", route(HOME, SCHOOL), "campaign_code", "ukjent kode"),
    (None, route(HOME), "geometry", "minst to ulike punkter"),
    (None, route(HOME, HOME), "geometry", "minst to ulike punkter"),
    (None, route(HOME, (10.86, 59.95000001)), "geometry", "bare"),
    (None, route(*[(10.86 + i * 1e-5, 59.95) for i in range(2001)]), "geometry", "høyst 2000"),
    (None, route((10.81, 59.91), (10.94, 59.99), (10.81, 59.99), (10.94, 59.91)), "geometry", "km"),
    (None, route(HOME, (11.2, 59.95)), "geometry", "utenfor kommunen"),
    (None, place(10.70, 59.95), "geometry", "utenfor kommunen"),
    (None, place(float("nan"), 59.95), "geometry", "med tall"),
    (None, place(200.0, 59.95), "geometry", "lengde- og breddegrad"),
    (None, {"kind": "place", "geometry": {"type": "LineString", "coordinates": [HOME, SCHOOL]},
            "category": "good"}, "geometry", "Point"),
    (None, place(10.86, 59.95, "bad"), "category", "ukjent verdi"),
    (None, route(HOME, SCHOOL, mode="rocket"), "mode", "ukjent verdi"),
    (None, place(10.86, 59.95, comment="x" * 301), "comment", "300"),
    (None, place(10.86, 59.95, grade=14), "grade", "1–13"),
    (None, place(10.86, 59.95, gender="girl"), "gender", "female"),
    (None, place(10.86, 59.95, secret=1), "secret", "ukjent felt"),
])
def test_bad_contribution_refused_naming_the_field(ctx: Context, campaign: MapCampaign, code: str | None,
                                                   data: dict[str, object], field: str, words: str) -> None:
    before = dump(ctx)
    with pytest.raises(InputError) as err:
        contribute(_as(ctx, "public"), code or campaign.access_code, data, token())
    assert field in {p.field for p in err.value.problems}, str(err.value)
    assert words in str(err.value)
    assert dump(ctx) == before


def test_bounds_closed_campaign_and_new_codes(ctx: Context, campaign: MapCampaign) -> None:
    bounded = open_test_campaign(ctx, "bounded", bounds=shapely.to_wkb(shapely.box(10.85, 59.94, 10.90, 59.98)))
    with pytest.raises(InputError, match="kartleggingens område"):
        contribute(ctx, bounded.access_code, place(10.92, 59.93), token())
    t = token()
    contribute(ctx, campaign.access_code, place(10.92, 59.93), t)
    close_campaign(ctx, campaign.code)
    assert contribute(ctx, campaign.access_code, place(10.92, 59.93), t).duplicate
    with pytest.raises(InputError, match="ikke åpen"):
        contribute(ctx, campaign.access_code, place(10.92, 59.93), token())
    renewed = new_codes(ctx, bounded.code)
    assert renewed.access_code != bounded.access_code
    with pytest.raises(InputError, match="ukjent kode"):
        contribute(ctx, bounded.access_code, place(10.86, 59.95), token())
    contribute(ctx, renewed.access_code, place(10.86, 59.95), token())
    with pytest.raises(NotFoundError):
        close_campaign(ctx, "finnes-ikke")


def test_same_token_from_two_threads_stores_one(ctx: Context, campaign: MapCampaign) -> None:
    t, results, errors = token(), [], []

    def send() -> None:
        try:
            results.append(contribute(ctx, campaign.access_code, route(HOME, SCHOOL), t))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and len({r.contribution_id for r in results}) == 1
    with ctx.store.read() as conn:
        campaign_id = repo.get_campaign(conn, campaign.code)["id"]  # type: ignore[index]
        assert repo.count_contributions(conn, campaign_id) == {"route": 1}
