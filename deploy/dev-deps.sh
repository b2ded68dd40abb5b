#!/bin/sh
# Make sure the Debian packages that the demo and the tests need are installed.
# As root it installs the missing ones with apt; otherwise it prints the exact command and fails.
set -eu

PACKAGES="python3 python3-venv python3-dev gcc pkgconf libpcsclite-dev nodejs npm \
chromium fonts-dejavu-core espeak-ng sox pcscd vsmartcard-vpcd postgresql"

missing=""
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    echo "Installing system packages:$missing"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
else
    echo "These system packages are missing:$missing" >&2
    echo "Install them with:" >&2
    echo "    sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
