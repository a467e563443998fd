"""Settings precedence: argument > environment > default."""

import pytest

from nabolag.settings import DEFAULT_DATABASE_URL, load_settings, normalise_database_url


def test_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NABOLAG_DATABASE_URL", raising=False)
    assert load_settings().database_url == DEFAULT_DATABASE_URL


def test_environment_then_argument(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NABOLAG_DATABASE_URL", "postgresql://postgres@127.0.0.1/x")
    monkeypatch.setenv("NABOLAG_SUPPRESSION_THRESHOLD", "3")
    s = load_settings()
    assert s.database_url == "postgresql+psycopg://postgres@127.0.0.1/x"
    assert s.suppression_threshold == 3
    assert load_settings("sqlite:///a.sqlite").database_url == "sqlite:///a.sqlite"


def test_bare_path_becomes_sqlite() -> None:
    assert normalise_database_url("data/n.sqlite") == "sqlite:///data/n.sqlite"
