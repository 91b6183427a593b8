#!/usr/bin/env bash
# Installs the Debian packages the tests need and a fresh machine lacks. Idempotent: packages
# already present are skipped, so a developer can run it as often as they like (as root).
set -euo pipefail

# chromium: browser tests (e2e/ and the sdk's) drive /usr/bin/chromium through playwright-core.
# postgresql: the agent's PostgreSQL tests start their own server (agent/scripts/postgres-server.ts).
packages=(chromium postgresql)

missing=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "system packages: not root and no sudo; install ${missing[*]} yourself" >&2; exit 1; }
  as_root=(sudo)
fi
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
