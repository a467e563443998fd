"""Resident survey pages (issue 6): the public form ``/s/{code}`` (:mod:`survey_public`, with its pages in
:mod:`survey_steps` and fields in :mod:`survey_form`) and the admin pages ``/surveys``
(:mod:`survey_admin`), with results, export and paper import in :mod:`survey_results`. One router, so
``app.py`` includes one."""

from __future__ import annotations

from fastapi import APIRouter

from nabolag.web import survey_admin, survey_public, survey_results

router = APIRouter()
router.include_router(survey_public.router)
router.include_router(survey_admin.router)
router.include_router(survey_results.router)
