"""A survey's translation as a YAML file: the template a translator fills in, and reading it back.

::

    survey: innbyggere-2025
    language: so
    source: nb
    texts:
      title:
        source: Livet i nabolaget
        text: ''            # ← the translation
      trygg_dag.text:
        source: Hvor trygg føler du deg om dagen?
        text: ''

A filled file may also give a text directly (``trygg_dag.text: Sidee …``). Checking that every key has a text
is done by :func:`nabolag.services.survey.translate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from nabolag.domain.problems import Problem
from nabolag.errors import InputError
from nabolag.i18n import _
from nabolag.ingest.files import check_file

MAX_BYTES = 2_000_000


def template_text(code: str, language: str, source: str, template: Mapping[str, Mapping[str, str]]) -> str:
    """The YAML a translator fills in (``text`` under each key), from ``survey.translation_template``."""
    head = _("# Oversettelse av undersøkelsen {code} til «{lang}»: skriv teksten under «text» for hver nøkkel, "
             "og les filen inn med nabolag survey translate {code} --language {lang} --file FIL.yaml",
             code=code, lang=language)
    body = {"survey": code, "language": language, "source": source,
            "texts": {k: {"source": v.get("source", ""), "text": v.get("text", "")} for k, v in template.items()}}
    return head + "\n" + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=110)


def read_translation(path: str | Path, language: str, code: str = "") -> dict[str, str]:
    """The texts of a filled template (key → text). The file's ``language`` (and ``survey``, when given)
    must match; problems name the file and the key."""
    p = check_file(path, MAX_BYTES)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(_("{file}: filen er ikke UTF-8", file=p.name)) from None
    except yaml.YAMLError as exc:
        raise InputError(_("{file}: kan ikke lese YAML/JSON: {error}", file=p.name, error=str(exc)[:300])) from None
    if not isinstance(data, Mapping) or not isinstance(data.get("texts"), Mapping):
        raise InputError(_("{file}: forventet en oversettelse med «texts» (lag malen med --template)", file=p.name))
    problems = []
    if str(data.get("language", language)) != language:
        problems.append(Problem(p.name, _("filen er for språket «{found}», ikke «{lang}»",
                                          found=str(data.get("language"))[:20], lang=language), field="language"))
    if code and data.get("survey") not in (None, code):
        problems.append(Problem(p.name, _("filen er for undersøkelsen «{found}», ikke «{code}»",
                                          found=str(data.get("survey"))[:60], code=code), field="survey"))
    texts: dict[str, str] = {}
    for key, value in data["texts"].items():
        text = value.get("text") if isinstance(value, Mapping) else value
        if isinstance(text, bool) or (text is not None and not isinstance(text, str | int | float)):
            problems.append(Problem(p.name, _("forventet tekst; sett den i anførselstegn"), field=str(key)[:80],
                                    found=str(text)[:60]))
            continue
        texts[str(key)] = "" if text is None else str(text)
    if problems:
        raise InputError(_("{file}: {n} feil; ingenting er lagret", file=p.name, n=len(problems)), problems)
    return texts
