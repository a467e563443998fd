"""The anonymised researcher export: small home zones coarsened (checked against counts made by hand), no
invitation code, token or time of day anywhere in the bytes, a codebook row for every column, the same rows
in CSV and Excel, a round trip through pandas, versions (not asked ≠ not answered), rights, audit, and
nothing half-written on an error."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from nabolag.domain.survey import Choice
from nabolag.domain.zones import Area, Level, Zone
from nabolag.errors import InputError, NotFoundError, PermissionDenied
from nabolag.services import zones
from nabolag.services.context import Context
from nabolag.services.survey import add_version, create_survey, open_survey
from nabolag.services.survey_export import coarsen_zones, export_responses
from nabolag.services.survey_submit import create_invitations, new_token, submit
from nabolag.store.survey_tables import survey_invitation, survey_response
from nabolag.store.tables import audit
from test_survey_support import GOOD, small

CSV = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig", "dtype": {"zone": str}}
A, B, C, D = "0301101001", "0301101002", "0301101003", "0301121201"
TREE = [Zone("0301", "Oslo", Level.KOMMUNE), Zone("030110", "Grorud", Level.BYDEL, parent_code="0301"),
        Zone("030112", "Alna", Level.BYDEL, parent_code="0301"),
        *[Zone(c, f"Sone {c[-2:]}", Level.DELBYDEL, parent_code=c[:6]) for c in (A, B, C, D)]]
HOMES = [A] * 6 + [B] * 3 + [C] * 3 + [D] * 2 + [None] * 2  # 16 responses


def _as(ctx: Context, role: str, areas: tuple[str, ...] = ()) -> Context:
    return Context(settings=ctx.settings, store=ctx.store, actor=role, role=role, areas=areas)


def _survey(ctx: Context, mode: str = "open", area: str | None = None) -> list[str]:
    """The zone tree, the small questionnaire as an open survey, 16 responses; returns the tokens."""
    zones.define_zones(ctx, TREE)
    create_survey(ctx, small(), code="kort-2024", mode=mode, period="2024", area=area)
    open_survey(ctx, "kort-2024")
    codes = create_invitations(ctx, "kort-2024", len(HOMES)) if mode == "invitation" else [None] * len(HOMES)
    tokens = []
    for i, (home, code) in enumerate(zip(HOMES, codes, strict=True)):
        token = new_token()
        answers = {**GOOD, "aar_bodd": i, "steder": ["parken"] if i % 2 else ["bibliotek", "senteret"],
                   "forening": "no" if i % 3 else "yes", "bra_naa": f'Svar {i}: «parken»; "fint", =1+{i}\nny linje',
                   "favoritt": {"lon": 10.912345 + i / 1000, "lat": 59.954321}}
        submit(ctx, "kort-2024", answers, token, "en" if i == 5 else "nb", home_zone=home, invitation_code=code)
        tokens.append(token)
    return [*tokens, *[c for c in codes if c]]


def test_small_zones_get_their_parent_or_are_left_out(ctx: Context, tmp_path: Path) -> None:
    _survey(ctx)
    result = export_responses(ctx, "kort-2024", tmp_path / "ut.csv")
    data = pd.read_csv(tmp_path / "ut.csv", **CSV)
    # by hand: A has 6 (kept); B and C have 3 each, together 6 in bydel 030110 (shown); D has 2, alone in
    # bydel 030112 and in Oslo too (2 < 5): left out; two gave no zone
    assert Counter(data["zone"].fillna("")) == {A: 6, "030110": 6, "": 4}
    assert set(data.loc[data["zone"] == "030110", "zone_level"]) == {"bydel"}
    assert (result.zones_coarsened, result.zones_dropped, result.rows) == (6, 2, 16)
    assert B not in set(data["zone"]) and D not in (tmp_path / "ut.csv").read_text(encoding="utf-8-sig")


@given(st.lists(st.sampled_from(["a1", "a2", "a3", "b1", "a", "b", None]), max_size=40), st.integers(1, 6))
def test_coarsening_leaves_no_code_below_the_threshold(codes: list[str | None], threshold: int) -> None:
    parents = {"a1": "a", "a2": "a", "a3": "a", "b1": "b", "a": "r", "b": "r", "r": None}
    shown = coarsen_zones(codes, parents, threshold)
    counts = Counter(c for c in shown if c)
    assert all(n >= threshold for n in counts.values())
    big = {c for c, n in Counter(codes).items() if c and n >= threshold}
    for before, after in zip(codes, shown, strict=True):
        if before in big:
            assert after == before  # a zone with enough responses is never touched
        elif after is not None:  # else an ancestor (or itself)
            chain = [before]
            while parents.get(chain[-1]):
                chain.append(parents[chain[-1]])
            assert after in chain


def _file_bytes(path: Path) -> bytes:
    if path.suffix == ".xlsx":  # a zip: look inside every member
        with zipfile.ZipFile(path) as z:
            return b"".join(z.read(n) for n in z.namelist())
    return path.read_bytes()


def test_no_invitation_code_token_id_or_time_in_any_file(ctx: Context, tmp_path: Path) -> None:
    secrets_ = _survey(ctx, mode="invitation")
    with ctx.store.read() as conn:
        hashes = [r.code_hash for r in conn.execute(select(survey_invitation))]
        stamps = [r.submitted_at for r in conn.execute(select(survey_response))]
    files = [*export_responses(ctx, "kort-2024", tmp_path / "alt.csv", include_text=True, include_points=True).files,
             *export_responses(ctx, "kort-2024", tmp_path / "alt.xlsx", include_text=True, include_points=True).files]
    assert len(secrets_) == 32 and len(files) == 3
    for f in files:
        blob = _file_bytes(f)
        for s in [*secrets_, *hashes]:
            for form in {s, s.replace("-", ""), s.lower(), s.replace("-", "").lower()}:
                assert form.encode() not in blob, (f.name, form)
        data = _data_bytes(f)  # the workbook's own properties carry the time it was written; the sheets not
        assert not re.search(rb"\d\d:\d\d", data), f.name
        assert not any(t.strftime("%Y-%m-%dT").encode() in data for t in stamps)


def _data_bytes(f: Path) -> bytes:
    if f.suffix != ".xlsx":
        return f.read_bytes()
    with zipfile.ZipFile(f) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/"))


def test_rows_are_in_random_order_with_new_numbers_and_only_the_date(ctx: Context, tmp_path: Path) -> None:
    _survey(ctx)
    export_responses(ctx, "kort-2024", tmp_path / "ut.csv")
    data = pd.read_csv(tmp_path / "ut.csv", **CSV)
    assert list(data["respondent"]) == list(range(1, 17))
    today = dt.datetime.now(ZoneInfo("Europe/Oslo")).date().isoformat()
    assert set(data["submitted"]) <= {today, (dt.date.fromisoformat(today) - dt.timedelta(days=1)).isoformat()}
    orders = {tuple(pd.read_csv(tmp_path / "ut.csv", **CSV)["aar_bodd"])}
    for _ in range(3):
        export_responses(ctx, "kort-2024", tmp_path / "ut.csv")
        orders.add(tuple(pd.read_csv(tmp_path / "ut.csv", **CSV)["aar_bodd"]))
    assert len(orders) > 1 and tuple(range(16)) not in orders  # not the order of submission


def test_round_trip_through_pandas_and_the_codebook_lists_every_column(ctx: Context, tmp_path: Path) -> None:
    _survey(ctx)
    export_responses(ctx, "kort-2024", tmp_path / "ut.csv", include_text=True, include_points=True)
    raw = (tmp_path / "ut.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.split(b"\n", 1)[0].count(b";") > 10
    data = pd.read_csv(tmp_path / "ut.csv", **CSV).set_index("aar_bodd").sort_index()
    for i in range(16):  # each row against what was submitted
        row = data.loc[i]
        assert row["trygg_dag"] == 6 and row["trivsel"] == 4 and row["transport"] == "buss"
        assert row["forening"] == (0 if i % 3 else 1)
        assert (row["steder.bibliotek"], row["steder.parken"], row["steder.senteret"]) == \
            ((0, 1, 0) if i % 2 else (1, 0, 1))
        assert row["bra_naa"] == f'Svar {i}: «parken»; "fint", =1+{i}\nny linje'  # as given
        assert row["favoritt.lon"] == round(10.912345 + i / 1000, 2) and row["favoritt.lat"] == 59.95
        assert (row["age_band"], row["gender"], row["alder"], row["kjonn"]) == ("35-66", "female", "35-66", "female")
    assert Counter(data["language"]) == {"nb": 15, "en": 1}
    book = pd.read_csv(tmp_path / "ut-kodebok.csv", sep=";", encoding="utf-8-sig", dtype=str).fillna("")
    assert set(data.reset_index().columns) <= set(book["column"])
    described = book.set_index("column")
    assert described.loc["steder.parken", "text_en"] == "Where do you meet others? – The park"
    assert described.loc["transport", "choices_nb"] == "gange = Går; buss = Buss"
    assert described.loc["forening", "choices_en"] == "1 = yes; 0 = no"
    assert described.loc["trygg_dag", "values"] == "1–7" and described.loc["trivsel", "values"] == "1–5"
    assert described.loc["gender", "question"] == "kjonn" and "5" in described.loc["zone", "note"]
    assert all(described.loc[c, "missing"] for c in data.columns)


def test_text_and_points_are_left_out_unless_asked(ctx: Context, tmp_path: Path) -> None:
    _survey(ctx)
    export_responses(ctx, "kort-2024", tmp_path / "ut.csv")
    data = pd.read_csv(tmp_path / "ut.csv", **CSV)
    assert "bra_naa" not in data and not any(c.startswith("favoritt") for c in data)
    assert b"parken\xc2\xbb" not in (tmp_path / "ut.csv").read_bytes()  # «parken» of the free text
    book = pd.read_csv(tmp_path / "ut-kodebok.csv", sep=";", encoding="utf-8-sig", dtype=str).fillna("")
    left_out = book[book["column"] == ""].set_index("question")
    assert "Fritekst" in left_out.loc["bra_naa", "note"] and "Kartpunkt" in left_out.loc["favoritt", "note"]


def test_excel_carries_the_same_rows_as_csv_and_text_stays_text(ctx: Context, tmp_path: Path) -> None:
    _survey(ctx)
    export_responses(ctx, "kort-2024", tmp_path / "ut.csv", include_text=True)
    export_responses(ctx, "kort-2024", tmp_path / "ut.xlsx", include_text=True)
    sheets = pd.read_excel(tmp_path / "ut.xlsx", sheet_name=None, dtype={"zone": str})
    assert list(sheets) == ["svar", "kodebok"]
    from_csv = pd.read_csv(tmp_path / "ut.csv", **CSV)
    key = [c for c in from_csv.columns if c != "respondent"]  # numbered at random in each export
    a = from_csv[key].sort_values(key, ignore_index=True)
    b = sheets["svar"][key].sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert set(sheets["svar"].columns) <= set(sheets["kodebok"]["column"].dropna())
    cells = {c.value: c.data_type for row in openpyxl.load_workbook(tmp_path / "ut.xlsx")["svar"].iter_rows()
             for c in row if isinstance(c.value, str) and c.value.startswith("Svar 3")}
    assert cells == {'Svar 3: «parken»; "fint", =1+3\nny linje': "s"}
    zone = openpyxl.load_workbook(tmp_path / "ut.xlsx")["svar"]["F2"]
    assert zone.value is None or (isinstance(zone.value, str) and zone.value.startswith("0"))


def test_versions_not_asked_is_not_not_answered(ctx: Context, tmp_path: Path) -> None:
    _survey(ctx)
    q = small()
    sted = q.sections[0]
    steder = next(x for x in sted.questions if x.id == "steder")
    wider = replace(steder, choices=(*steder.choices, Choice("kafe", {"nb": "Kafé", "en": "Café", "ar": "مقهى"})))
    sted = replace(sted, questions=tuple(wider if x.id == "steder" else x for x in sted.questions))
    add_version(ctx, "kort-2024", replace(q, sections=(sted, q.sections[1])))
    submit(ctx, "kort-2024", {**GOOD, "aar_bodd": 99, "steder": ["kafe"]}, new_token(), "nb", home_zone=A)
    export_responses(ctx, "kort-2024", tmp_path / "ut.xlsx")
    data = pd.read_excel(tmp_path / "ut.xlsx", sheet_name="svar").set_index("aar_bodd")
    assert data.loc[99, "version"] == 2 and data.loc[99, "steder.kafe"] == 1 and data.loc[99, "steder.parken"] == 0
    assert data.loc[data["version"] == 1, "steder.kafe"].isna().all()  # never offered: empty, not 0
    book = pd.read_excel(tmp_path / "ut.xlsx", sheet_name="kodebok").set_index("column")
    assert book.loc["steder.kafe", "added_in_version"] == 2 and "versjon før 2" in book.loc["steder.kafe", "missing"]
    assert book.loc["steder.parken", "added_in_version"] == 1


def test_rights_and_audit(ctx: Context, tmp_path: Path) -> None:
    zones.define_zones(ctx, TREE)
    zones.save_area(ctx, Area(code="grorud", name="Grorud", zone_codes=(A, B, C)))
    _survey(ctx, area="grorud")
    out = tmp_path / "ut.csv"
    for who in (_as(ctx, "viewer"), _as(ctx, "public"), _as(ctx, "coordinator", ("annet",))):
        with pytest.raises(PermissionDenied):
            export_responses(who, "kort-2024", out)
    assert not out.exists()
    assert export_responses(_as(ctx, "coordinator", ("grorud",)), "kort-2024", out).rows == 16
    assert export_responses(_as(ctx, "analyst"), "kort-2024", tmp_path / "ut.xlsx", include_text=True).rows == 16
    with ctx.store.read() as conn:
        rows = conn.execute(select(audit).where(audit.c.object_type == "survey", audit.c.action == "export")).all()
    assert [(r.actor, r.object_key) for r in rows] == [("coordinator", "kort-2024"), ("analyst", "kort-2024")]
    with pytest.raises(NotFoundError):
        export_responses(ctx, "finnes-ikke", out)


def test_a_municipality_wide_survey_is_not_a_coordinators(ctx: Context, tmp_path: Path) -> None:
    _survey(ctx)
    with pytest.raises(PermissionDenied):
        export_responses(_as(ctx, "coordinator", ("grorud",)), "kort-2024", tmp_path / "ut.csv")


def test_bad_output_and_nothing_half_written(ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _survey(ctx)
    for bad in (tmp_path / "ut.txt", tmp_path / "mangler" / "ut.csv"):
        with pytest.raises(InputError):
            export_responses(ctx, "kort-2024", bad)
    out = tmp_path / "ut.csv"
    out.write_text("gammel fil", encoding="utf-8")
    calls = []
    real = pd.DataFrame.to_csv

    def failing(self: pd.DataFrame, *args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:  # the data file is written; the codebook fails
            raise OSError("disken er full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", failing)
    with pytest.raises(OSError):
        export_responses(ctx, "kort-2024", out)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("test.sqlite")) == ["ut.csv"]
    assert out.read_text(encoding="utf-8") == "gammel fil"
    with ctx.store.read() as conn:
        assert not conn.execute(select(audit).where(audit.c.action == "export")).all()


def test_a_survey_without_responses_gives_the_header_and_codebook(ctx: Context, tmp_path: Path) -> None:
    zones.define_zones(ctx, TREE)
    create_survey(ctx, small(), code="tom", period="2024")
    result = export_responses(ctx, "tom", tmp_path / "tom.xlsx")
    assert result.rows == 0
    sheets = pd.read_excel(tmp_path / "tom.xlsx", sheet_name=None)
    assert sheets["svar"].empty and set(sheets["svar"].columns) <= set(sheets["kodebok"]["column"].dropna())


def test_a_question_named_like_a_fixed_column_keeps_its_id(ctx: Context, tmp_path: Path) -> None:
    from nabolag.ingest.survey import read_questionnaire_text
    from test_survey_support import SMALL_YAML

    zones.define_zones(ctx, TREE)
    q = read_questionnaire_text(SMALL_YAML.replace("id: kjonn", "id: gender"), "x.yaml")
    create_survey(ctx, q, code="navn", period="2024")
    open_survey(ctx, "navn")
    submit(ctx, "navn", {**{k: v for k, v in GOOD.items() if k != "kjonn"}, "gender": "male"}, new_token(), "nb")
    export_responses(ctx, "navn", tmp_path / "ut.csv")
    data = pd.read_csv(tmp_path / "ut.csv", **CSV)
    assert (data.loc[0, "gender"], data.loc[0, "_gender"]) == ("male", "male")
    book = pd.read_csv(tmp_path / "ut-kodebok.csv", sep=";", encoding="utf-8-sig", dtype=str).set_index("column")
    assert book.loc["_gender", "type"] == "background" and book.loc["gender", "type"] == "single"
