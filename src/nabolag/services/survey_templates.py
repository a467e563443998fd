"""The built-in questionnaires (``nabolag/surveys/*.yaml``, shipped as package data)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from nabolag.domain.survey import Questionnaire, text_in
from nabolag.errors import NotFoundError
from nabolag.i18n import _
from nabolag.ingest.survey import read_questionnaire_text


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    audience: str
    languages: tuple[str, ...]
    questions: int
    variant_of: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "title": self.title, "audience": self.audience, "languages": list(self.languages),
                "questions": self.questions, "variant_of": self.variant_of}


def _folder():  # type: ignore[no-untyped-def]
    return resources.files("nabolag") / "surveys"


def template_names() -> list[str]:
    return sorted(p.name[:-5] for p in _folder().iterdir() if p.name.endswith(".yaml"))


def load_template(name: str) -> Questionnaire:
    """A built-in questionnaire by name (``stedsanalyse``, ``innbyggerundersokelse`` …)."""
    if name not in template_names():
        raise NotFoundError(_("Ukjent mal: {name}; malene er {names}", name=name[:60],
                              names=", ".join(template_names())))
    path = _folder() / f"{name}.yaml"
    return read_questionnaire_text(path.read_text(encoding="utf-8"), f"{name}.yaml")


def list_templates(language: str = "nb") -> list[Template]:
    out = []
    for name in template_names():
        q = load_template(name)
        out.append(Template(name=name, title=text_in(q.title, language), audience=q.audience, languages=q.languages,
                            questions=sum(1 for _q in q.questions()), variant_of=q.variant_of))
    return out
