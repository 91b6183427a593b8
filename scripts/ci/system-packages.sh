#!/usr/bin/env bash
# Installs the Debian packages the tests need and a fresh machine lacks. Idempotent: packages
# already present are skipped, so a developer can run it as often as they like (as root).
set -euo pipefail

packages=(chromium)  # chromium: browser tests (e2e/ and the sdk's) drive /usr/bin/chromium through playwright-core

missing=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
