"""Children's map campaigns (Barnetråkk style) and observation sessions (issue 7): one router, so ``app.py``
registers one. The child's public map is :mod:`mapping_child` (``/kart``), the staff's and teachers' pages
and the public aggregated page :mod:`mapping_staff` (``/mapping``), the observer's pages :mod:`observe`
(``/observe``, with the CSV import of :mod:`observe_import`)."""

from __future__ import annotations

from fastapi import APIRouter

from nabolag.web import mapping_child, mapping_staff, observe

router = APIRouter()
router.include_router(mapping_child.router)
router.include_router(mapping_staff.router)
router.include_router(observe.router)
