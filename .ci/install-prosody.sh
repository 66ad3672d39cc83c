#!/usr/bin/env bash
# Installs Debian's Prosody (and prosody-modules) for the interop tests, when missing.
# Idempotent: does nothing when both packages are already there. Needs root (CI runs as root).
# The harness (tests/harness/prosody.ts) starts its own Prosody per test run; this script only
# installs the packages and keeps the packaged system service from starting.
set -euo pipefail

have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

if command -v prosody >/dev/null && command -v prosodyctl >/dev/null && have prosody && have prosody-modules; then
  echo "install-prosody: already installed: $(dpkg-query -W -f='${Package} ${Version}  ' prosody prosody-modules)"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-prosody: Prosody is missing and this is not root; run as root:" >&2
  echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y prosody prosody-modules" >&2
  exit 1
fi

# Keep apt from starting the packaged Prosody service (it would listen on every interface);
# only add the policy when the machine has none, and remove it again afterwards.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q -o DPkg::Lock::Timeout=300 prosody prosody-modules
# Never `prosody --version`: it starts a server. Ask dpkg instead.
echo "install-prosody: installed: $(dpkg-query -W -f='${Package} ${Version}  ' prosody prosody-modules)"
