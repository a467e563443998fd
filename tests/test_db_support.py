"""The test databases of ``db_support``: a copy of the demo is whole and a test's own (what one test writes
no other sees), and on PostgreSQL a schema from the pool is exactly as a freshly migrated one, while a
schema whose definition a test changed is dropped, not reused."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from db_support import MIGRATED, Templates, base_url, definition, empty_database, schema_of
from nabolag.services import Context, observations, users
from nabolag.store.tables import observation


def _counts(ctx: Context) -> dict[str, int]:
    """Rows per table, counted with SQL (not through the services)."""
    with ctx.store.read() as conn:
        names = [t for t in conn.dialect.get_table_names(conn) if t != "alembic_version"]
        return {t: int(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()) for t in names}


def test_a_demo_copy_is_whole_and_the_tests_own(demo_ctx: Context, templates: Templates, tmp_path) -> None:
    mine = _counts(demo_ctx)
    assert mine["observation"] > 17_000 and mine["zone"] == 112 and mine["survey_response"] == 912
    with demo_ctx.store.transaction() as conn:
        conn.execute(observation.delete())
    assert observations.summary(demo_ctx)["observations"] == 0
    with empty_database(tmp_path, "other") as url:  # another copy, made after this test emptied its own
        templates.copy("demo", url)
        with Context.open(url, actor="test") as other:
            assert _counts(other) == mine


def test_a_demo_copy_can_grow_like_a_new_database(demo_ctx: Context) -> None:
    """Ids go on after the copied ones (on PostgreSQL the sequences are set past them): a new audit row (the
    demo holds a hundred) gets an id above every copied one."""
    with demo_ctx.store.read() as conn:
        copied = conn.execute(text("SELECT max(id) FROM audit")).scalar_one()
    assert copied is not None and copied > 50
    users.add_user(demo_ctx, "ny-bruker", "viewer", "et-langt-passord")  # audited
    with demo_ctx.store.read() as conn:
        new = conn.execute(text("SELECT id FROM audit WHERE id > :m"), {"m": copied}).scalars().all()
    assert len(new) >= 1 and {u.username for u in users.list_users(demo_ctx)} >= {"ny-bruker"}


@pytest.fixture
def pg_only() -> None:
    if not base_url():
        pytest.skip("the pool of migrated schemas is PostgreSQL's (on SQLite each test copies a file)")


def test_a_schema_from_the_pool_is_as_new(pg_only: None, templates: Templates) -> None:
    with templates.migrated_schema() as url:
        first = schema_of(url)
        with Context.open(url, actor="test") as ctx:
            users.add_user(ctx, "forste", "viewer", "et-langt-passord")
            with ctx.store.read() as conn:
                first_id = conn.execute(text("SELECT id FROM app_user WHERE username = 'forste'")).scalar_one()
    with templates.migrated_schema() as url:
        assert schema_of(url) == first  # reused
        with Context.open(url, actor="test") as ctx:
            assert users.list_users(ctx) == []
            users.add_user(ctx, "andre", "viewer", "et-langt-passord")
            with ctx.store.read() as conn:
                again = conn.execute(text("SELECT id FROM app_user WHERE username = 'andre'")).scalar_one()
        admin = create_engine(str(base_url()))
        with admin.connect() as conn:  # outside the schema's search path, as the pool compares them
            assert definition(conn, first) == definition(conn, templates._pg[MIGRATED].schema)
        admin.dispose()
    assert again == first_id  # the sequence starts where a fresh schema's does


def test_a_schema_whose_definition_changed_is_dropped(pg_only: None, templates: Templates) -> None:
    with templates.migrated_schema() as url:
        changed = schema_of(url)
        with Context.open(url, actor="test") as ctx, ctx.store.transaction() as conn:
            conn.execute(text("CREATE INDEX extra_index ON app_user (role)"))
    with templates.migrated_schema() as url:
        assert schema_of(url) != changed
        with Context.open(url, actor="test") as ctx, ctx.store.read() as conn:
            gone = conn.execute(text("SELECT count(*) FROM pg_namespace WHERE nspname = :s"), {"s": changed})
            assert gone.scalar_one() == 0
