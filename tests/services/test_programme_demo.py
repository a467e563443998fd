"""The demo carries the documents' Groruddalen programme, marked as synthetic, with a clean logic model."""

from __future__ import annotations

from nabolag.demo import build_demo
from nabolag.domain.participation import EventKind
from nabolag.services import Context, observations
from nabolag.services import participation as part
from nabolag.services import programme as svc
from nabolag.services.actors import list_actors
from nabolag.services.logic_model import logic_model
from nabolag.services.programme_indicators import CODES


def test_demo_programme(demo_ctx: Context) -> None:
    ctx = demo_ctx
    area = "groruddalen"
    measures = {m.code: m for m in svc.list_measures(ctx, area)}
    assert {"ammerudgymmen", "ammerudtunnelen", "lindeberglokalet", "turveier", "frivillighet", "styreverv"} <= \
        set(measures)
    assert measures["ammerudgymmen"].geometry and measures["lindeberglokalet"].geometry
    goals = {g.code: g for g in svc.list_goals(ctx, area)}
    indicators = {x.indicator for g in goals.values() for x in g.indicators}
    assert {"bruk_ammerudgymmen", "trygghet_dag", "trygghet_kveld", "vold", "moteplasser", "arrangementer",
            "frivillige", "flytting_ut", "flytting_internt", "nye_foreninger", "styreverv_andel"} <= indicators
    events = part.list_events(ctx, area)
    assert {EventKind.FOLKEMOTE, EventKind.NAERMILJOGRUPPE, EventKind.TRYGGHETSVANDRING} <= {e.kind for e in events}
    inputs = part.list_inputs(ctx, area)
    assert sum(bool(i.answer) for i in inputs) >= 10
    everything = [*measures.values(), *goals.values(), *events, *inputs,
                  *list_actors(ctx, area, include_shared=False)]
    assert all(x.synthetic for x in everything)
    derived = observations.query(ctx, areas=[area], indicators=list(CODES))
    assert set(derived["indicator"]) == set(CODES)
    assert derived["source"].str.contains("syntetiske demodata").all()
    model = logic_model(ctx, area)
    assert not [f for f in model["flags"] if f["severity"] == "error"]  # type: ignore[attr-defined]
    assert {f["code"] for f in model["flags"] if f["severity"] == "warning"} == {"goal_without_measure"}  # type: ignore[attr-defined]
    # shares by age band exist only per group: said so, not flagged as having no data
    by_group = {f["indicator"] for f in model["flags"] if f["code"] == "indicator_by_group_only"}  # type: ignore[attr-defined]
    assert {"bruk_ammerudgymmen_andel_alder", "bruk_lindeberglokalet_andel_alder"} <= by_group
    n = len(inputs)
    build_demo(ctx)  # building again changes nothing
    assert len(part.list_inputs(ctx, area)) == n
