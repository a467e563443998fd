"""Participation pages of an area (issue 5): the participation log (events, inputs and answers) for
signed-in readers, and the public «Dere sa, vi gjorde» page. The edit forms live in
:mod:`participation_forms` (events) and :mod:`participation_inputs`, the actor pages in :mod:`actors`,
the vocabulary in :mod:`vocabulary`; their routers are included here so that ``app.py`` registers one.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from nabolag.services import views_participation as views
from nabolag.services.context import Context
from nabolag.web import actors, participation_forms, participation_inputs, vocabulary
from nabolag.web.deps import context, require_signed_in
from nabolag.web.participation_common import area_code, render

router = APIRouter(tags=["participation"])


@router.get("/areas/{code}/participation.json", dependencies=[Depends(require_signed_in)])
def participation_json(request: Request, code: str = area_code(), ctx: Context = Depends(context)) -> Response:
    """The participation log of an area: events, inputs with answers, figures (signed-in users)."""
    return render(request, "participation.html", views.participation_page(ctx, code))


@router.get("/areas/{code}/participation", response_class=HTMLResponse, dependencies=[Depends(require_signed_in)])
def participation_page(request: Request, code: str = area_code(), ctx: Context = Depends(context)) -> Response:
    return render(request, "participation.html", views.participation_page(ctx, code))


@router.get("/areas/{code}/you-said-we-did.json")
def you_said_json(request: Request, code: str = area_code(), ctx: Context = Depends(context)) -> Response:
    """«Dere sa, vi gjorde»: the area's inputs and the municipality's answers, open to everyone, no
    personal data."""
    return render(request, "you_said.html", views.you_said_page(ctx, code))


@router.get("/areas/{code}/you-said-we-did", response_class=HTMLResponse)
def you_said(request: Request, code: str = area_code(), ctx: Context = Depends(context)) -> Response:
    return render(request, "you_said.html", views.you_said_page(ctx, code))


router.include_router(participation_forms.router)
router.include_router(participation_inputs.router)
router.include_router(actors.router)
router.include_router(vocabulary.router)
