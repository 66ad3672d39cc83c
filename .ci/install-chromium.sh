#!/usr/bin/env bash
# Installs Debian's Chromium for the docs render test (tests/browser/), when missing.
# Idempotent: does nothing when a chromium binary is already on PATH. Needs root (CI runs as root).
# The test starts its own headless Chromium with a throwaway profile; this script only installs.
set -euo pipefail

if command -v chromium >/dev/null; then
  echo "install-chromium: already installed: $(dpkg-query -W -f='${Package} ${Version}' chromium 2>/dev/null || chromium --version)"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-chromium: Chromium is missing and this is not root; run as root:" >&2
  echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q -o DPkg::Lock::Timeout=300 chromium
echo "install-chromium: installed: $(dpkg-query -W -f='${Package} ${Version}' chromium)"
