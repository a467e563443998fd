"""JSON-stat 2.0 datasets as answered by SSB (PxWebApi v2) and FHI's open statistics API.

SSB writes ``category.index`` as an object ``{"0301": 0}``, FHI as a list ``["0301"]``; values are
row-major over ``id``; ``value`` and ``status`` may be arrays or sparse objects. In a sparse
``value`` object, a cell with neither a value nor a status is absent (no observation); a null
cell with no status in a dense array is kept as not available ("..").
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from nabolag.domain.observations import SYMBOLS
from nabolag.domain.problems import Problem, Report
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.tidy import check_targets

ROLE_TARGETS = {"geo": "zone", "time": "period", "metric": "indicator"}


def read_jsonstat(path: Path, mapping: dict[str, str], constants: dict[str, str]) -> tuple[pd.DataFrame, Report]:
    """Return the standard frame (``row`` + text columns) for a JSON-stat 2.0 dataset."""
    report = Report(str(path))
    check_targets(mapping, "--map")
    name = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(_("{file}: ugyldig JSON", file=name),
                         [Problem(name, _("ugyldig JSON"), row=getattr(exc, "lineno", None),
                                  expected="JSON-stat 2.0", found=str(exc))]) from exc
    ds = _dataset(data, name)
    ids, sizes, dims = _dimensions(ds, name)
    total = int(np.prod(sizes)) if sizes else 0
    values = _cells(ds.get("value"), total, "value", name)
    status = _cells(ds.get("status"), total, "status", name)
    targets = _targets(ds, ids, mapping, name)
    grids = np.unravel_index(np.arange(total), sizes) if total else [np.array([], dtype=int)] * len(ids)
    out = pd.DataFrame({"row": np.arange(1, total + 1)})
    groups = []
    for k, dim_id in enumerate(ids):
        codes = np.array(dims[dim_id], dtype=object)[grids[k]]
        target = targets.get(dim_id)
        if target and not target.startswith("group."):
            out[target] = codes
        elif target or sizes[k] > 1:
            gname = target[6:] if target else dim_id
            if gname == "groups":  # nabolag's own export: codes are already group keys
                groups.append(pd.Series(codes, dtype=object))
            else:
                groups.append(pd.Series(codes).map(lambda c, g=gname: f"{g}={c}"))
    out["groups"] = _join_groups(groups, total)
    out["value"] = [_value_text(v, s) for v, s in zip(values, status, strict=True)]
    src = ds.get("source") or ds.get("label") or ""
    if "source" not in out.columns and src:
        out["source"] = str(src)[:300]
    for target, value in constants.items():
        out[target] = value
    raw = ds.get("value")
    if isinstance(raw, dict):  # sparse: a cell with neither value nor status is not there
        keys = {str(k) for k in raw}
        present = [str(i) in keys or s is not None for i, s in enumerate(status)]
        out = out[present].reset_index(drop=True)
    report.rows = len(out)
    return out, report


def _dataset(data: object, name: str) -> dict[str, object]:
    if isinstance(data, dict) and data.get("class") == "dataset":
        return data
    if isinstance(data, dict) and isinstance(data.get("dataset"), dict):
        ds = dict(data["dataset"])  # JSON-stat 1.x "bundle" with one dataset (SSB's API v0)
        dims = ds.get("dimension")
        if isinstance(dims, dict) and "id" in dims and "id" not in ds:  # 1.x keeps id, size, role in here
            ds.update(id=dims["id"], size=dims["size"], role=ds.get("role") or dims.get("role") or {})
            ds["dimension"] = {k: v for k, v in dims.items() if k not in ("id", "size", "role")}
        return ds
    raise InputError(_("{file}: ikke et JSON-stat 2.0-datasett (mangler class: dataset)", file=name))


def _dimensions(ds: dict[str, object], name: str) -> tuple[list[str], list[int], dict[str, list[str]]]:
    ids, sizes, dims = ds.get("id"), ds.get("size"), ds.get("dimension")
    if not isinstance(ids, list) or not isinstance(sizes, list) or not isinstance(dims, dict):
        raise InputError(_("{file}: mangler id, size eller dimension", file=name))
    if len(ids) != len(sizes):
        raise InputError(_("{file}: id har {a} dimensjoner, size har {b}", file=name, a=len(ids), b=len(sizes)))
    codes: dict[str, list[str]] = {}
    for dim_id, size in zip(ids, sizes, strict=True):
        cat = (dims.get(dim_id) or {}).get("category", {})  # type: ignore[union-attr]
        index = cat.get("index")
        if index is None:
            labels = cat.get("label") or {}
            index = list(labels)
        if isinstance(index, dict):
            ordered = sorted(index.items(), key=lambda kv: kv[1])
            index = [str(k) for k, _pos in ordered]
        if len(index) != size:
            raise InputError(_("{file}: dimensjonen {dim} har {n} kategorier, men size sier {size}",
                               file=name, dim=dim_id, n=len(index), size=size))
        codes[dim_id] = [str(c) for c in index]
    return list(ids), [int(s) for s in sizes], codes


def _cells(raw: object, total: int, what: str, name: str) -> list[object]:
    if raw is None:
        return [None] * total
    if isinstance(raw, str):
        return [raw] * total
    if isinstance(raw, list):
        if len(raw) != total:
            raise InputError(_("{file}: {what} har {n} celler, men dimensjonene gir {total}",
                               file=name, what=what, n=len(raw), total=total))
        return raw
    if isinstance(raw, dict):
        cells: list[object] = [None] * total
        for key, v in raw.items():
            if not str(key).isdigit() or int(key) >= total:
                raise InputError(_("{file}: {what} har ugyldig celleindeks «{key}»", file=name, what=what, key=key))
            cells[int(key)] = v
        return cells
    raise InputError(_("{file}: {what} må være en liste eller et objekt", file=name, what=what))


def _targets(ds: dict[str, object], ids: list[str], mapping: dict[str, str], name: str) -> dict[str, str]:
    """dimension id → target, from --map first, then the dataset's roles."""
    by_dim: dict[str, str] = {}
    for target, dim_id in mapping.items():
        if dim_id not in ids:
            raise InputError(_("{file}: dimensjonen «{dim}» finnes ikke; dimensjoner: {dims}",
                               file=name, dim=dim_id, dims=", ".join(ids)))
        by_dim[dim_id] = target
    role = ds.get("role") or {}
    for role_name, target in ROLE_TARGETS.items():
        for dim_id in role.get(role_name, []) if isinstance(role, dict) else []:
            if dim_id not in by_dim and target not in by_dim.values():
                by_dim[dim_id] = target
    for dim_id in ids:  # dimensions named like a target (as nabolag's own export writes them)
        if dim_id in ("zone", "area", "indicator", "period") and dim_id not in by_dim \
                and dim_id not in by_dim.values():
            by_dim[dim_id] = dim_id
    return by_dim


def _join_groups(groups: list[pd.Series], total: int) -> np.ndarray:
    if not groups:
        return np.array([""] * total, dtype=object)
    joined = groups[0]
    for g in groups[1:]:
        joined = joined + ";" + g
    return joined.to_numpy(dtype=object)


def _value_text(value: object, status: object) -> str:
    if value is None:
        return str(status) if status in SYMBOLS else ".."
    return repr(value) if isinstance(value, (int, float)) else str(value)
