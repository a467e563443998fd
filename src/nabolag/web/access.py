"""Walking accessibility pages and map layers (issue 8)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
