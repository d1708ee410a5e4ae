#!/usr/bin/env bash
# Install (Debian's `postgresql`) and start a local PostgreSQL, make the test role and database,
# and print the DATABASE_URL that the test suite should use. Needs root, as on CI machines.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
    pg_createcluster "$version" main >&2
fi
db=${DARMAN_TEST_DATABASE:-darman_test}
read -r version cluster port status _ < <(pg_lsclusters -h | head -n 1)
if [ "$status" != "online" ]; then
    pg_ctlcluster "$version" "$cluster" start >&2
fi
as_postgres() { su postgres -c "$1"; }
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='darman'\"" | grep -q 1 \
    || as_postgres "psql -p $port -qc \"CREATE ROLE darman LOGIN PASSWORD 'darman'\"" >&2
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='$db'\"" | grep -q 1 \
    || as_postgres "createdb -p $port -O darman $db" >&2
echo "postgresql+psycopg://darman:darman@127.0.0.1:$port/$db"
