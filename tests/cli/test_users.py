"""``nabolag users``: add, list, remove and the rest, with exit codes and audit entries."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nabolag.cli.main import app
from nabolag.domain.zones import Area
from nabolag.services import Context, users, zones
from nabolag.store.imports import list_audit

runner = CliRunner()
PASSWORD = "langt-nok-passord"


@pytest.fixture
def url(ctx: Context) -> str:
    zones.save_area(ctx, Area(code="groruddalen", name="Groruddalen"))
    return ctx.settings.database_url


def run(url: str, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--database", url, "users", *args], input=stdin, env={"NABOLAG_ACTOR": "ola"})


@pytest.mark.parametrize("command", ["add", "list", "remove", "password", "areas", "disable", "enable"])
def test_help_has_an_example(command: str) -> None:
    result = runner.invoke(app, ["users", command, "--help"])
    assert result.exit_code == 0 and "Eksempel: nabolag users" in result.output


def test_add_list_remove(url: str, ctx: Context) -> None:
    result = run(url, "add", "kari", "--role", "coordinator", "--area", "groruddalen", "--name", "Kari N",
                 "--password-stdin", stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert users.authenticate(ctx, "kari", PASSWORD) is not None  # the newline is not part of the password
    assert run(url, "add", "per", "--role", "viewer", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 0

    listed = json.loads(run(url, "list", "--json").output)
    assert [(u["username"], u["role"], u["areas"], u["created_by"]) for u in listed] == [
        ("kari", "coordinator", ["groruddalen"], "ola"), ("per", "viewer", [], "ola")]
    table = run(url, "list").output
    assert "kari" in table and "argon2" not in table and PASSWORD not in table
    assert "argon2" not in json.dumps(listed)

    result = run(url, "remove", "per")
    assert result.exit_code == 0 and [u.username for u in users.list_users(ctx)] == ["kari"]
    with ctx.store.read() as conn:
        actions = [(e["action"], e["object_key"], e["actor"]) for e in list_audit(conn) if e["object_type"] == "user"]
    assert actions == [("user.remove", "per", "ola"), ("user.add", "per", "ola"), ("user.add", "kari", "ola")]


@pytest.mark.parametrize(("args", "stdin", "words"), [
    (["add", "per", "--role", "boss", "--password-stdin"], PASSWORD, ["rolle", "boss"]),
    (["add", "per", "--role", "analyst", "--password-stdin"], "kort\n", ["passord", "10"]),
    (["add", "per", "--role", "analyst", "--password-stdin"], "\n", ["passord", "tomt"]),
    (["add", "per", "--role", "analyst", "--password-stdin"], "", ["passord"]),
    (["add", "per", "--role", "analyst"], "", ["passord", "--password-stdin"]),
    (["add", "per", "--role", "coordinator", "--area", "nowhere", "--password-stdin"], PASSWORD, ["område", "nowhere"]),
    (["add", "kari", "--role", "analyst", "--password-stdin"], PASSWORD, ["brukernavn", "finnes"]),
    (["add", "bad name", "--role", "analyst", "--password-stdin"], PASSWORD, ["brukernavn"]),
])
def test_bad_input_exits_2_naming_the_field(url: str, ctx: Context, args: list[str], stdin: str,
                                            words: list[str]) -> None:
    users.add_user(ctx, "kari", "analyst", PASSWORD)
    result = run(url, *args, stdin=stdin)
    assert result.exit_code == 2, result.output
    assert all(w in result.output for w in words), result.output
    assert [u.username for u in users.list_users(ctx)] == ["kari"]


def test_unknown_user_exits_3(url: str) -> None:
    for args in (["remove", "nobody"], ["disable", "nobody"], ["password", "nobody", "--password-stdin"]):
        result = run(url, *args, stdin=PASSWORD)
        assert result.exit_code == 3 and "nobody" in result.output


def test_password_areas_disable_enable(url: str, ctx: Context) -> None:
    users.add_user(ctx, "kari", "coordinator", PASSWORD)
    assert run(url, "password", "kari", "--password-stdin", stdin="et-helt-nytt-passord\n").exit_code == 0
    assert users.authenticate(ctx, "kari", "et-helt-nytt-passord") is not None
    result = run(url, "areas", "kari", "--add", "groruddalen")
    assert result.exit_code == 0 and users.coordinator_areas(ctx, "kari") == ("groruddalen",)
    assert run(url, "areas", "kari", "--add", "nowhere").exit_code == 2
    assert run(url, "disable", "kari").exit_code == 0
    assert users.authenticate(ctx, "kari", "et-helt-nytt-passord") is None
    assert run(url, "enable", "kari").exit_code == 0
    assert users.authenticate(ctx, "kari", "et-helt-nytt-passord") is not None
