"""Children's map campaigns (Barnetråkk style) and observation sessions (issue 7)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
