"""What an area report reads, fetched once through the services: the area and its zones, the chosen
baseline (published figures), the change since it (follow-up), the logic model and the targets."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from nabolag.analysis.change import period_end
from nabolag.domain.indicators import Indicator
from nabolag.domain.zones import Area, Zone
from nabolag.errors import InputError, NotFoundError
from nabolag.i18n import _
from nabolag.reports.store import KINDS
from nabolag.services import zones
from nabolag.services.baseline import BaselineView, ChangeTable, compare, list_baselines, show_baseline
from nabolag.services.context import Context
from nabolag.services.logic_model import logic_model
from nabolag.services.views_common import indicators_by_code
from nabolag.services.views_programme import area_targets
from nabolag.services.views_zone import city_of


@dataclass
class AreaData:
    """Everything the sections of an area report share."""

    kind: str
    area: Area
    by_code: dict[str, Zone]
    indicators: dict[str, Indicator]
    baseline: BaselineView
    change: ChangeTable | None
    logic: dict[str, object]
    targets: dict[str, list[dict[str, object]]]
    level: str
    city: Zone | None
    today: str = field(default_factory=lambda: dt.date.today().isoformat())
    cache: dict[object, object] = field(default_factory=dict)
    """Figures read once and shared by the chapters (e.g. the area's own observations)."""

    @property
    def follow_up(self) -> bool:
        return self.kind == "follow-up"

    @property
    def baseline_period(self) -> str:
        """The period most of the baseline's values are from (e.g. ``2018``)."""
        periods = Counter(str(p) for p in self.baseline.frame.get("period", pd.Series(dtype=str)) if p)
        return periods.most_common(1)[0][0] if periods else str(self.baseline.as_of or "")

    @property
    def latest_period(self) -> str | None:
        """The period most of the latest values are from (follow-up), None when there is none."""
        if self.change is None or self.change.frame.empty:
            return None
        periods = Counter(str(p) for p in self.change.frame["latest_period"] if p and p == p)
        return periods.most_common(1)[0][0] if periods else None

    @property
    def has_later_data(self) -> bool:
        """Some indicator has a value from a period that ends after its baseline period."""
        if self.change is None or self.change.frame.empty:
            return False
        pairs = zip(self.change.frame["latest_period"], self.change.frame["baseline_period"], strict=True)
        return any(isinstance(late, str) and late and period_end(late) > period_end(str(base))
                   for late, base in pairs)

    def name(self, code: str) -> str:
        z = self.by_code.get(code)
        return z.name if z else code

    def indicator_name(self, code: str, lang: str) -> str:
        ind = self.indicators.get(code)
        return ind.name(lang) if ind else code

    @property
    def synthetic(self) -> bool:
        return bool(self.area.synthetic or any(i.synthetic for c, i in self.indicators.items()
                                               if c in set(self.baseline.frame.get("indicator", []))))


def no_baseline_message(area: Area) -> str:
    return _("Området {area} ({name}) har ikke noe nullpunkt. Frys et først, for eksempel med «nabolag baseline "
             "create {area} --period 2018 --label \"Nullpunkt 2018\"», og lag så rapporten.",
             area=area.code, name=area.name)


def load(ctx: Context, area_code: str, kind: str, baseline_label: str | None = None,
         latest_period: str | None = None) -> AreaData:
    """Read the area and its baseline; raise a clear error for an unknown kind, area or baseline."""
    if kind not in KINDS:
        raise InputError(_("Ukjent rapporttype «{kind}»; bruk {kinds}", kind=kind, kinds=", ".join(KINDS)))
    area = zones.get_area(ctx, area_code)
    baselines = list_baselines(ctx, area.code)
    if not baselines:
        raise NotFoundError(no_baseline_message(area))
    try:
        baseline = show_baseline(ctx, area.code, baseline_label)
    except NotFoundError:
        labels = ", ".join(f"«{b['label']}»" for b in baselines)
        raise NotFoundError(_("Området {area} har ikke noe nullpunkt «{label}»; det har {labels}", area=area.code,
                              label=baseline_label, labels=labels)) from None
    change = compare(ctx, area.code, latest_period=latest_period, label=baseline.label) if kind == "follow-up" \
        else None
    by_code = {z.code: z for z in zones.list_zones(ctx)}
    levels = Counter(str(by_code[c].level) for c in area.zone_codes if c in by_code)
    level = levels.most_common(1)[0][0] if levels else "delbydel"
    first = next((by_code[c] for c in area.zone_codes if c in by_code), None)
    return AreaData(kind=kind, area=area, by_code=by_code, indicators=indicators_by_code(ctx), baseline=baseline,
                    change=change, logic=logic_model(ctx, area.code, baseline.label, change),
                    targets=area_targets(ctx, area.code), level=level,
                    city=city_of(first, by_code) if first else None)
