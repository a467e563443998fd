"""Read a questionnaire from a YAML or JSON file (validation in :mod:`nabolag.domain.survey_parse`)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from nabolag.domain.survey import Questionnaire
from nabolag.domain.survey_parse import parse_questionnaire
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.files import check_file

MAX_BYTES = 2_000_000
"""A questionnaire file larger than this is refused."""


def read_questionnaire_text(text: str, file: str) -> Questionnaire:
    """Parse YAML (JSON is YAML too) and check the questionnaire; problems name ``file``."""
    try:
        data = json.loads(text) if file.lower().endswith(".json") else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise InputError(_("{file}: kan ikke lese YAML/JSON: {error}", file=file, error=str(exc)[:300])) from None
    return parse_questionnaire(data, file=file)


def read_questionnaire(path: str | Path) -> Questionnaire:
    p = check_file(path, MAX_BYTES)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(_("{file}: filen er ikke UTF-8", file=p.name)) from None
    return read_questionnaire_text(text, p.name)
