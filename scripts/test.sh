#!/usr/bin/env bash
# Run the whole suite on SQLite, then again on PostgreSQL in a throwaway database.
# The browser tests (tests/browser, Playwright driving /usr/bin/chromium) run once, in the SQLite pass:
# they test the pages in a real browser, which the database engine does not change; every service and
# route they touch is tested on both engines by the rest of the suite.
# The Oslo demo is built once per test worker and copied for each test that needs it, and on PostgreSQL
# migrated schemas are reused between tests (tests/db_support.py).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PGHOST=127.0.0.1
PGPORT=5432

echo "== nabolag tests on SQLite =="
NABOLAG_TEST_DATABASE_URL= "$PY" -m pytest -n 2 --dist loadgroup -q --durations=15 "$@"

if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
  echo "PostgreSQL is not running; starting it"
  pg_ctlcluster --skip-systemctl-redirect 15 main start
  for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
fi
DB="nabolag_test_$$_$(date +%s)"
psql -h "$PGHOST" -p "$PGPORT" -U postgres -q -c "CREATE DATABASE $DB" postgres
trap 'psql -h "$PGHOST" -p "$PGPORT" -U postgres -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres' EXIT
# A throwaway database need not wait for each commit to reach the disk (no effect on what is tested).
psql -h "$PGHOST" -p "$PGPORT" -U postgres -q -c "ALTER DATABASE $DB SET synchronous_commit = off" postgres

echo "== nabolag tests on PostgreSQL ($DB) =="
NABOLAG_TEST_DATABASE_URL="postgresql+psycopg://postgres@$PGHOST:$PGPORT/$DB" "$PY" -m pytest -n 2 --dist loadgroup -q --durations=15 \
  --ignore=tests/browser "$@"
