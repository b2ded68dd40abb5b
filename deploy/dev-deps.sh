#!/bin/sh
# Make sure the system tools that the demo and the tests need are present.
# Each need is checked by what it provides (a command, a file), not by a package name, so a
# machine that has, say, Node.js from another source is left alone. As root the missing Debian
# packages are installed with apt; otherwise the exact command is printed and this fails.
set -eu

PYTHON=${PYTHON:-python3}
missing=""

need() {  # need PACKAGE TEST...
    pkg=$1
    shift
    if ! "$@" >/dev/null 2>&1; then
        missing="$missing $pkg"
    fi
}

has() { command -v "$1"; }

need python3-venv "$PYTHON" -c "import venv, ensurepip"
need python3-dev "$PYTHON" -c "import os, sysconfig; assert os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h'))"
need gcc has gcc
need pkgconf has pkg-config
need libpcsclite-dev pkg-config --exists libpcsclite
need npm has npm
need chromium test -x /usr/bin/chromium
need fonts-dejavu-core test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
need espeak-ng has espeak-ng
need sox has sox
need pcscd test -x /usr/sbin/pcscd
need vsmartcard-vpcd sh -c "ls /usr/lib/pcsc/drivers/serial/libifdvpcd.so* || ls /usr/lib/pcsc/drivers/*vpcd*"
# The demo's and the tests' pcscd run in a network namespace of their own (peripherals/sim/pcscd.py).
need util-linux has unshare
# The deployment tests lint the scripts and verify the systemd units offline.
need shellcheck has shellcheck
need systemd has systemd-analyze
need curl has curl
# The storage tests need a PostgreSQL server; one already answering is enough.
need postgresql sh -c "pg_isready -q -h 127.0.0.1 -p 5432 || command -v pg_ctlcluster"
# The rate-limit tests share counters through Redis, as a multi-worker server does.
need redis-server sh -c "command -v redis-server && command -v redis-cli"

if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    echo "Installing system packages:$missing"
    apt-get update -q
    # shellcheck disable=SC2086  # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
else
    echo "These system packages are missing:$missing" >&2
    echo "Install them with:" >&2
    echo "    sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
