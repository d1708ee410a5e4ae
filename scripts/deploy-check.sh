#!/usr/bin/env bash
# `make deploy-check`: the production shape on this machine — Debian's nginx (with its brotli
# module where Debian has it) and PostgreSQL with a synchronous standby and automatic failover
# (pg_auto_failover: a monitor and two nodes on ports of their own, never the machine's own
# cluster), a self-signed certificate for localhost, two app nodes and a worker — and the checks
# of deploy/check/ through nginx over https. Needs root.
# Everything it starts runs on ports the OS hands out and is stopped at the end, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v nginx >/dev/null || missing+=(nginx)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
ls /usr/lib/postgresql/*/bin/pg_dump >/dev/null 2>&1 || missing+=(postgresql)
# pg_auto_failover (its monitor, keepers and extension) for the primary and its standby
command -v pg_autoctl >/dev/null || missing+=(pg-auto-failover-cli)
pg_version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
ls /usr/share/postgresql/"${pg_version:-15}"/extension/pgautofailover.control >/dev/null 2>&1 \
    || missing+=("postgresql-${pg_version:-15}-auto-failover")
if [ ! -e /usr/share/nginx/modules/ngx_http_brotli_filter_module.so ] \
    && apt-cache show libnginx-mod-http-brotli-filter >/dev/null 2>&1; then
    missing+=(libnginx-mod-http-brotli-filter)
fi
if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Debian starts the packaged nginx on port 80; the check runs its own, so stop that one.
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
    if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then
        systemctl stop nginx
    fi
fi
test -x /usr/bin/chromium || ./scripts/install-chromium.sh
./scripts/test-postgresql.sh >/dev/null  # starts the cluster and makes the darman role
exec .venv/bin/pytest -q -p no:cacheprovider deploy/check "$@"
