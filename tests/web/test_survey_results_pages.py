"""Survey results, researcher export and paper import through the real app.

Responses are stored with known answers and background in three zones of Groruddalen's delbydeler (two
with a population by gender and age, so their responses get raking weights; one without, so its weights
are equal) and one small zone; the results are stored by the page's button. Checked: the page and its
JSON twin agree; an unweighted share and its Wilson interval by hand for the zone with equal weights;
Kish's design effect by formula from the weights the service computes; the change from an earlier round
and its verdict; the export holds no token or invitation code and its temporary directory is gone after
sending; a paper import's dry run writes nothing and names row and column, confirm writes the rows; who
may reach what; CSRF on every POST."""

from __future__ import annotations

import io
import math
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from nabolag.charts import radar_chart
from nabolag.domain.zones import Level, Zone
from nabolag.services import Context, observations, survey_import, survey_results, survey_submit, zones
from nabolag.services import survey as survey_service
from nabolag.services.export import published
from services.test_programme_support import AREA
from web.pages_support import data_cells, inline_code
from web.survey_pages_support import CODE, login, stored
from web.survey_pages_support import client as client  # noqa: F401  (fixture)

RESULTS = f"/surveys/{CODE}/results"
EARLIER = "kort-2019"
M1, M2, PLAIN, SMALL = "0301101001", "0301121203", "0301151501", "0301121201"  # Ammerud, Lindeberg (members)
COUNTS = {M1: 12, M2: 10, PLAIN: 8, SMALL: 3}
MARGINS = {M1: {"gender=female": 3200, "gender=male": 2800, "age=15-34": 2000, "age=35-66": 3000, "age=67+": 1000},
           M2: {"gender=female": 1900, "gender=male": 2100, "age=15-34": 1500, "age=35-66": 2000, "age=67+": 500}}
AGES, GENDERS = ("15-34", "35-66", "67+"), ("female", "male")
FORENING = "nabolag_kort_forening"
Z = 1.959963984540054


def _records(zone: str, n: int, shift: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        answers = {"trygg_dag": str(1 + (i + shift) % 7), "trivsel": str(1 + (i * 2 + shift) % 5),
                   "forening": "yes" if (i + shift) % 3 == 0 else "no", "alder": AGES[i % 3],
                   "kjonn": GENDERS[(i // 3) % 2], "bra_naa": f"fritekst {zone} {i}"}
        if i == 1:
            answers.pop("forening")  # one left unanswered
        out.append({"answers": answers, "zone": zone, "language": "nb"})
    return out


def _city_and_population(ctx: Context) -> None:
    parents = sorted({z.parent_code for z in zones.list_zones(ctx, level="delbydel") if z.parent_code})
    zones.define_zones(ctx, [Zone(code="0301", name="Oslo", level=Level.KOMMUNE),
                             *[Zone(code=p, name=f"Bydel {p}", level=Level.BYDEL, parent_code="0301") for p in parents]])
    rows = [{"indicator": "befolkning", "zone": z, "period": "2019", "groups": g, "value": v}
            for z, m in MARGINS.items() for g, v in m.items()]
    observations.load_frame(ctx, pd.DataFrame(rows), file_name="befolkning-grupper")


@pytest.fixture
def results(client: TestClient, ctx: Context) -> TestClient:  # noqa: F811
    """Responses in this round and an earlier one (both stored as results); signed in as the analyst."""
    _city_and_population(ctx)
    for zone, n in COUNTS.items():
        survey_import.add_responses(ctx, CODE, _records(zone, n, 0), source="demo")
    survey_service.create_survey(ctx, survey_service.get_questionnaire(ctx, CODE), code=EARLIER, area=AREA,
                                 period="2019")
    survey_service.open_survey(ctx, EARLIER)
    for zone, n in COUNTS.items():
        survey_import.add_responses(ctx, EARLIER, _records(zone, n, 1), source="demo")
    survey_results.store_results(ctx, EARLIER)
    token = login(client, "analytiker")
    r = client.post(f"{RESULTS}/store", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def _csrf(client: TestClient) -> str:
    return str(client.get("/login.json").json()["csrf_token"])


def _wilson(k: float, n: float) -> tuple[float, float]:
    p, d = k / n, 1 + Z**2 / n
    centre, half = (p + Z**2 / (2 * n)) / d, Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / d
    return 100 * (centre - half), 100 * (centre + half)


def test_results_page_and_twin_agree_with_an_independent_computation(results: TestClient, ctx: Context) -> None:
    page = results.get(RESULTS, params={"place": PLAIN})
    assert page.status_code == 200 and inline_code(page.text) == []
    data = results.get(f"{RESULTS}.json", params={"place": PLAIN}).json()
    assert data["stored"] and data["place"] == PLAIN and data["other"] == EARLIER and data["area"] == AREA

    # the zone without a population by group: equal weights, so the share is the plain share of the answers
    answers = [r["answers"] for r in stored(ctx) if r["zone"] == PLAIN and "forening" in r["answers"]]
    yes = sum(a["forening"] == "yes" for a in answers)
    row = next(i for i in data["indicators"] if i["indicator"] == FORENING)
    assert row["value"] == pytest.approx(100 * yes / len(answers), abs=0.001)
    low, high = _wilson(yes, len(answers))
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low, abs=0.001), pytest.approx(high, abs=0.001))
    assert row["n"] == 5 * round(len(answers) / 5)  # published counts are rounded to 5

    # Kish's design effect from the weights the service computes, by formula
    frame, _q, _row = survey_results.response_frame(ctx, CODE)
    frame = frame[frame["zone"].notna()]
    w = survey_results.weighted(frame, survey_results.population_margins(ctx, sorted(set(frame["zone"])), "2024"))
    summary = {p["code"]: p for p in data["summary"]}
    for place, part in (("0301", w), (AREA, w[w["zone"].isin([M1, M2])]), (M1, w[w["zone"] == M1])):
        weights = part["weight"].to_numpy()
        assert len(set(np.round(weights, 6))) > 1, f"{place}: the check needs unequal weights"
        deff = len(weights) * (weights**2).sum() / weights.sum() ** 2
        assert summary[place]["deff"] == pytest.approx(deff, abs=0.0006), place
        assert summary[place]["n"] == 5 * round(len(weights) / 5)
        assert summary[place]["n_eff"] == round(summary[place]["n"] / summary[place]["deff"])
    assert summary[PLAIN]["deff"] == pytest.approx(1.0)

    # the HTML shows the twin's numbers
    cells = data_cells(page.text)
    shown = {(c.get("place", ""), c["indicator"], c["field"]): c for c in cells}
    for p in data["summary"]:
        if not p["suppressed"]:
            assert float(shown[(p["code"], "", "deff")]["value"]) == p["deff"]
            assert int(shown[(p["code"], "", "n")]["value"]) == p["n"]
    for i in data["indicators"]:
        if i["value"] is not None:
            assert float(shown[("", i["indicator"], "value")]["value"]) == i["value"]
            assert float(shown[("", i["indicator"], "interval")]["value"]) == i["ci_low"]
    for r in data["change"]["rows"]:
        if r["change"] is not None:
            assert float(shown[(r["place"], r["indicator"], "change")]["value"]) == r["change"]


def test_every_figure_is_the_published_one(results: TestClient, ctx: Context) -> None:
    data = results.get(f"{RESULTS}.json", params={"place": SMALL}).json()
    stored_obs = observations.query(ctx, indicators=[FORENING], periods=["2024"], groups="")
    pub = published(ctx, stored_obs)
    for place in (SMALL, PLAIN, M1):
        expected = pub[pub["zone"] == place]["value"].iloc[0]
        got = results.get(f"{RESULTS}.json", params={"place": place}).json()
        row = next(i for i in got["indicators"] if i["indicator"] == FORENING)
        if expected != expected:  # suppressed
            assert row["value"] is None and row["n"] is None and row["suppressed"], place
        else:
            assert row["value"] == pytest.approx(float(expected), abs=0.001), place
    small = next(i for i in data["indicators"] if i["indicator"] == FORENING)
    assert small["suppressed"] and small["value"] is None  # 3 responses, under the threshold of 5
    page = results.get(RESULTS, params={"place": SMALL}).text
    assert "skjult (for få svar)" in page
    radar = data["radars"][0]
    assert radar["area"] == AREA and radar["city"] == "0301" and radar["unit"] == "1-7"
    area = results.get(f"{RESULTS}.json", params={"place": AREA}).json()
    means = {i["indicator"]: i["value"] for i in area["indicators"]}
    for v in radar["values"]:
        if v["place"] == "area":
            assert v["value"] == pytest.approx(means[f"nabolag_kort_{v['theme']}"], abs=0.001)
    # the radar's chart (embedded by the page as it comes) draws exactly the shown values, each on its spoke
    assert radar["chart"] == radar_chart(radar) and radar["chart"]["description"] == f"{radar['area_name']} / Oslo"
    points = radar["chart"]["layer"][4]["data"]["values"]
    for role, name in (("area", radar["area_name"]), ("city", "Oslo")):
        shown = [(i, v["value"]) for i, t in enumerate(radar["themes"]) for v in radar["values"]
                 if v["theme"] == t and v["place"] == role and v["value"] is not None]
        drawn = [(p["order"], p["value"]) for p in points if p["place"] == name]
        assert drawn == shown + [(len(radar["themes"]), shown[0][1])]  # closed: back to the first shown theme


def test_change_between_rounds_has_its_interval_and_verdict(results: TestClient) -> None:
    data = results.get(f"{RESULTS}.json").json()
    change = data["change"]
    assert change["before"] == {"code": EARLIER, "period": "2019"} and change["after"]["code"] == CODE
    rows = [r for r in change["rows"] if r["change"] is not None]
    assert {r["place"] for r in rows} >= {"0301", AREA}
    for r in rows:
        assert r["ci_low"] <= r["change"] <= r["ci_high"]
        assert r["change"] == pytest.approx(r["after"] - r["before"], abs=0.01)
        assert r["verdict"] == ("better" if r["ci_low"] > 0 else "worse" if r["ci_high"] < 0 else "uncertain")
    page = results.get(RESULTS).text
    assert "Endring fra 2019 til 2024" in page and "ingen sikker endring" in page


def test_store_button_needs_csrf_and_the_right_to_change_the_survey(client: TestClient, ctx: Context) -> None:
    login(client, "analytiker")
    assert client.post(f"{RESULTS}/store", data={}).status_code == 403
    assert observations.query(ctx, indicators=[FORENING]).empty
    assert not client.get(f"{RESULTS}.json").json()["stored"]
    assert "Beregn og lagre resultatene" in client.get(RESULTS).text
    client.post("/logout", data={"csrf_token": _csrf(client)})
    login(client, "leser")
    assert client.post(f"{RESULTS}/store", data={"csrf_token": _csrf(client)}).status_code == 403
    assert observations.query(ctx, indicators=[FORENING]).empty


def test_viewers_visitors_and_other_coordinators_cannot_reach_results_export_or_import(client: TestClient) -> None:
    for path in (RESULTS, f"{RESULTS}.json"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code in (303, 401), path
    assert client.post(f"/surveys/{CODE}/export", data={"format": "csv"}).status_code == 403  # no CSRF token
    for name in ("leser", "annen"):
        token = login(client, name)
        for path in (RESULTS, f"{RESULTS}.json"):
            assert client.get(path).status_code == 403, (name, path)
        assert client.post(f"/surveys/{CODE}/export", data={"format": "csv", "csrf_token": token}).status_code == 403
        r = client.post(f"/surveys/{CODE}/import", data={"csrf_token": token},
                        files={"file": ("papir.csv", b"zone;trygg_dag\n;5\n", "text/csv")})
        assert r.status_code == 403, name
        client.post("/logout", data={"csrf_token": _csrf(client)})


def _export_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("nabolag-survey-export-*")}


def test_export_downloads_without_tokens_or_invitation_codes(client: TestClient, ctx: Context) -> None:
    survey_service.create_survey(ctx, survey_service.get_questionnaire(ctx, CODE), code="inv-2024", area=AREA,
                                 mode="invitation", period="2024")
    survey_service.open_survey(ctx, "inv-2024")
    codes = survey_submit.create_invitations(ctx, "inv-2024", 6)
    for i, code in enumerate(codes):
        survey_submit.submit(ctx, "inv-2024", {"trygg_dag": 1 + i, "bra_naa": f"tekst {i}"},
                             f"token-for-test-{i:04d}-abcdef", "nb", home_zone=M1, invitation_code=code)
    tokens = [r["token"] for r in stored(ctx, "inv-2024")]
    token = login(client, "analytiker")
    page = client.get("/surveys/inv-2024").text
    assert 'action="/surveys/inv-2024/export"' in page and 'href="/surveys/inv-2024/results"' in page
    before = _export_dirs()
    r = client.post("/surveys/inv-2024/export", data={"format": "csv", "csrf_token": token})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"] == 'attachment; filename="inv-2024-anonymisert-csv.zip"'
    assert r.headers["cache-control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        assert sorted(z.namelist()) == ["inv-2024-anonymisert-kodebok.csv", "inv-2024-anonymisert.csv"]
        blobs = [z.read(n) for n in z.namelist()]
        data = z.read("inv-2024-anonymisert.csv").decode("utf-8-sig")
    assert len(data.strip().splitlines()) == 7 and "bra_naa" not in data.splitlines()[0]  # no free text asked
    r2 = client.post("/surveys/inv-2024/export", data={"format": "xlsx", "text": "1", "csrf_token": token})
    assert r2.status_code == 200 and r2.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert 'filename="inv-2024-anonymisert-med-fritekst.xlsx"' in r2.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(r2.content)) as z:  # a workbook is a zip: read every part
        blobs += [z.read(n) for n in z.namelist()]
    sheet = pd.read_excel(io.BytesIO(r2.content), sheet_name="svar")
    assert sorted(sheet["bra_naa"]) == [f"tekst {i}" for i in range(6)]
    everything = b"".join(blobs).upper()
    for secret in [*codes, *tokens]:
        assert secret.upper().encode() not in everything
        assert secret.replace("-", "").upper().encode() not in everything
    assert _export_dirs() == before  # the temporary directory is removed after sending
    assert client.post("/surveys/inv-2024/export", data={"format": "pdf", "csrf_token": token}).status_code == 422


BAD = "zone;language;trygg_dag;forening\n0301101001;nb;5;yes\n9999;nb;9;kanskje\n;xx;;no\n"
GOOD = 'zone;language;trygg_dag;forening;steder\n0301101001;nb;5;yes;"parken;bibliotek"\n0301121203;en;3;no;\n'


def test_paper_import_dry_run_writes_nothing_and_confirm_stores(client: TestClient, ctx: Context) -> None:
    token = login(client, "koord")  # the area's coordinator may change the survey
    assert 'action="/surveys/kort-2024/import"' in client.get(f"/surveys/{CODE}").text
    before = len(stored(ctx))
    r = client.post(f"/surveys/{CODE}/import", data={"csrf_token": token},
                    files={"file": ("papir.csv", BAD.encode(), "text/csv")}, follow_redirects=False)
    assert r.status_code == 303
    report = client.get(r.headers["location"] + ".json").json()
    assert not report["ok"] and len(stored(ctx)) == before
    bad = {(p["row"], p["column"]) for p in report["problems"]}
    assert {(3, "zone"), (3, "trygg_dag"), (3, "forening"), (4, "language"), (4, "trygg_dag")} <= bad
    html = client.get(r.headers["location"]).text
    assert 'id="import-problems"' in html and "<code>trygg_dag</code>" in html and "Bekreft og lagre" not in html
    assert client.post(report["links"]["confirm"], data={"csrf_token": token}).status_code == 409
    assert len(stored(ctx)) == before

    r = client.post(f"/surveys/{CODE}/import", data={"csrf_token": token}, headers={"accept": "application/json"},
                    files={"file": ("papir.csv", GOOD.encode(), "text/csv")})
    assert r.status_code == 201
    report = r.json()
    assert report["ok"] and report["rows"] == 2 and not report["stored"] and len(stored(ctx)) == before
    assert "Bekreft og lagre" in client.get(report["links"]["report"]).text
    assert client.post(report["links"]["confirm"], data={}).status_code == 403  # CSRF
    assert len(stored(ctx)) == before
    r = client.post(report["links"]["confirm"], data={"csrf_token": token})
    assert r.status_code == 200 and "2 svar er lagret" in r.text
    rows = stored(ctx)[before:]
    assert [(x["zone"], x["language"], x["answers"]["steder"] if "steder" in x["answers"] else None) for x in rows] == [
        (M1, "nb", ["bibliotek", "parken"]), (M2, "en", None)]
    assert client.get(report["links"]["report"]).status_code == 404  # confirmed files are gone
    assert client.post(report["links"]["confirm"], data={"csrf_token": token}).status_code == 404

    r = client.post(f"/surveys/{CODE}/import", data={"csrf_token": token}, headers={"accept": "application/json"},
                    files={"file": ("papir.txt", GOOD.encode(), "text/plain")})
    assert r.status_code == 422 and len(stored(ctx)) == before + 2
    r = client.post(f"/surveys/{CODE}/import", data={"csrf_token": token}, headers={"accept": "application/json"},
                    files={"file": ("papir.csv", GOOD.encode(), "text/csv")})
    link = r.json()["links"]
    client.post("/logout", data={"csrf_token": _csrf(client)})
    other = login(client, "analytiker")  # another user cannot see or confirm someone else's upload
    assert client.get(link["report"]).status_code == 404
    assert client.post(link["confirm"], data={"csrf_token": other}).status_code == 404
    assert len(stored(ctx)) == before + 2
