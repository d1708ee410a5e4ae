#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (Playwright never downloads a browser here).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
