"""Programme pages of an area (issue 5): goals, measures, logic model; edit forms for coordinators."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
