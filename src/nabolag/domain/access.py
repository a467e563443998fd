"""Walking accessibility (issue 8): what counts as walkable, the facility kinds and the defaults.

Facility kinds are plain strings; :data:`FACILITY_KINDS` are the built-in ones with their OSM tags.
"""

from __future__ import annotations

from dataclasses import dataclass

from nabolag.i18n import _

WALKABLE_HIGHWAYS = frozenset({
    "footway", "path", "pedestrian", "steps", "living_street", "residential", "service", "track",
    "cycleway", "unclassified", "tertiary", "tertiary_link", "secondary", "secondary_link", "primary",
    "primary_link", "road", "corridor", "bridleway", "trail", "crossing", "platform",
})
"""``highway`` values a person may walk along. Motorways and trunk roads are never walkable;
``foot=no``, ``access=private``/``no`` (without ``foot=yes``/``designated``/``permissive``) exclude a way."""

NOT_WALKABLE_FOOT = frozenset({"no", "private"})
NOT_WALKABLE_ACCESS = frozenset({"no", "private"})
FOOT_ALLOWED = frozenset({"yes", "designated", "permissive", "destination"})

FACILITY_KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "park": (("leisure", "park"), ("leisure", "garden"), ("leisure", "nature_reserve")),
    "playground": (("leisure", "playground"),),
    "community_centre": (("amenity", "community_centre"), ("amenity", "social_centre")),
    "library": (("amenity", "library"),),
    "sports": (("leisure", "sports_centre"), ("leisure", "fitness_centre"), ("leisure", "fitness_station"),
               ("leisure", "pitch"), ("leisure", "track"), ("leisure", "swimming_pool")),
    "school": (("amenity", "school"),),
}
"""The built-in kinds and the OSM ``key=value`` tags that make a feature one of them."""

DEFAULT_THRESHOLDS_M = (300, 500, 1000)
DEFAULT_MAX_DISTANCE_M = 2000.0
ENTRANCE_BUFFER_M = 25.0
"""A facility drawn as an area (a park) is reached at any network node within this distance of it."""
MAX_SNAP_M = 500.0
"""People and point facilities farther than this from the network are left out (and counted)."""


KIND_NAMES_NB = {"park": "park", "playground": "lekeplass", "community_centre": "møteplass/grendehus",
                 "library": "bibliotek", "sports": "idrett og trening", "school": "skole"}
"""Bokmål names of the built-in kinds, as stored in indicator names (``name_nb``)."""


def kind_label(kind: str) -> str:
    """The kind's name in the user's language."""
    return {"park": _("park"), "playground": _("lekeplass"), "community_centre": _("møteplass/grendehus"),
            "library": _("bibliotek"), "sports": _("idrett og trening"), "school": _("skole")}.get(kind, kind)


def check_kind(kind: str) -> str:
    """A kind is lower-case letters, digits and ``_`` (it becomes part of an indicator code)."""
    k = kind.strip().lower()
    if not k or not all(c.isalnum() or c == "_" for c in k) or len(k) > 40:
        raise ValueError(_("«{kind}» er ikke en gyldig type; bruk små bokstaver, tall og _ (f.eks. {known})",
                           kind=kind, known=", ".join(FACILITY_KINDS)))
    return k


def is_walkable(highway: str | None, tags: dict[str, str]) -> bool:
    """Whether an OSM way with ``highway`` and other ``tags`` may be walked.

    >>> is_walkable("footway", {})
    True
    >>> is_walkable("motorway", {})
    False
    >>> is_walkable("residential", {"access": "private"})
    False
    >>> is_walkable("service", {"access": "private", "foot": "yes"})
    True
    >>> is_walkable("cycleway", {"foot": "no"})
    False
    """
    if highway not in WALKABLE_HIGHWAYS or tags.get("area") == "yes":
        return False
    foot = tags.get("foot", "")
    if foot in NOT_WALKABLE_FOOT:
        return False
    if tags.get("access", "") in NOT_WALKABLE_ACCESS and foot not in FOOT_ALLOWED:
        return False
    return True


@dataclass(frozen=True)
class NetworkInfo:
    """A stored walking network (its arrays are kept apart, see :mod:`nabolag.store.access`)."""

    id: int
    name: str
    source: str
    file_name: str
    extract_date: str
    crs: str
    nodes: int
    edges: int
    length_m: float
    built_at: str
    dropped_nodes: int = 0
