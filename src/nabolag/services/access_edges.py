"""The ``edges`` layer of the walking-distance map (issue 8): the network's streets and paths, each coloured
by the walking distance to its mid-point (:func:`nabolag.analysis.access_network.edge_distance`: through
the nearer end, plus half its length), in the same classes as the nodes and the legend.

The lines are the network's own shapes in WGS84 (:func:`nabolag.services.mapping_streets.street_lines`,
kept per network) and, with a scenario, its new paths and connectors (straight). Within a box and for a
zoom they are cut and simplified as the streets basemap is (:mod:`nabolag.services.mapping_streets`); the
edges of one class (and, with a scenario, of one "got shorter" flag) are one ``MultiLineString``
feature: a handful of features however many edges, with ``edges`` (how many) and ``label`` (the class in
words).
"""

from __future__ import annotations

import json

import numpy as np
import shapely

from nabolag.services import mapping_streets
from nabolag.services.access_distances import Distances, shorter
from nabolag.services.context import Context
from nabolag.services.mapping_streets import drawn, within


def edge_layer(ctx: Context, dist: Distances, classes: np.ndarray, labels: dict[int, str],
               bbox: tuple[float, float, float, float] | None, zoom: int | None
               ) -> tuple[list[dict[str, object]], bool]:
    """The ``edges`` layer's features from one computation: the network's lines (and a scenario's) within
    ``bbox``, with each edge's distance ``classes``; with a scenario also whether its distance got shorter.
    With more than :data:`~nabolag.services.mapping_streets.MAX_EDGES` edges in the box (or the whole network
    without one): none, and ``True`` (too many: the page shows the thinned nodes until it is zoomed in)."""
    street = mapping_streets.street_lines(ctx, dist.stamp)
    lines, bounds = street.lines, street.bounds
    if dist.extra_lines is not None and len(dist.extra_lines):
        lines = np.concatenate([lines, dist.extra_lines])
        bounds = np.concatenate([bounds, shapely.bounds(dist.extra_lines).reshape(-1, 4)])
    if (mapping_streets.count_within(bounds, bbox) if bbox else len(lines)) > mapping_streets.MAX_EDGES:
        return [], True
    after, before = dist.edge_m, dist.edge_before
    improved = None
    if after is not None and before is not None:
        improved = shorter(after, before)
    return edge_features(lines, bounds, classes, improved, labels, bbox, zoom), False


def edge_features(lines: np.ndarray, bounds: np.ndarray, classes: np.ndarray, improved: np.ndarray | None,
                  labels: dict[int, str], bbox: tuple[float, float, float, float] | None,
                  zoom: int | None) -> list[dict[str, object]]:
    """One feature per distance class (and ``improved`` flag) of the edges within ``bbox`` (all without
    one), drawn for ``zoom``. ``lines``, ``bounds``, ``classes`` and ``improved`` are per edge."""
    if bbox is None:
        idx, cut = np.arange(len(lines)), lines
        b = bounds
        latitude = float((b[:, 1].min() + b[:, 3].max()) / 2) if len(b) else 0.0
    else:
        idx, cut = within(lines, bounds, bbox)
        latitude = (bbox[1] + bbox[3]) / 2
    cls = classes[idx]
    better = improved[idx] if improved is not None else np.zeros(len(idx), dtype=bool)
    out = []
    for c in sorted(set(cls.tolist())):
        for flag in (False, True):
            mine = (cls == c) & (better == flag)
            if not mine.any():
                continue
            parts = drawn(cut[mine], zoom, latitude)
            if not len(parts):
                continue
            props: dict[str, object] = {"class": int(c), "label": labels.get(int(c), ""), "edges": int(mine.sum())}
            if improved is not None:
                props["improved"] = flag
            out.append({"type": "Feature", "geometry": json.loads(shapely.to_geojson(shapely.multilinestrings(parts))),
                        "properties": props})
    return out
