"""Participation pages of an area (issue 5): events, inputs and answers, actors, the public
«you said, we did» page, and the admin's vocabulary."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
