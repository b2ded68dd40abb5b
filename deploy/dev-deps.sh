#!/bin/sh
# Make sure the system tools that the demo and the tests need are present.
# Each need is checked by what it provides (a command, a file), not by a package name, so a
# machine that has, say, Node.js from another source is left alone. As root the missing Debian
# packages are installed with apt; otherwise the exact command is printed and this fails.
set -eu

PYTHON=${PYTHON:-python3}
missing=""
SYSTEMD_RUN=${SYSTEMD_RUN:-/run/systemd/system}
INIT_D=${INIT_D:-/etc/init.d}
COTURN_DEFAULTS=${COTURN_DEFAULTS:-/etc/default/coturn}

need() {  # need PACKAGE TEST...
    pkg=$1
    shift
    if ! "$@" >/dev/null 2>&1; then
        missing="$missing $pkg"
    fi
}

has() { command -v "$1"; }

# Debian starts nginx (port 80) and coturn (port 3478) when it installs them, on every network
# interface: coturn's systemd unit even ignores TURNSERVER_ENABLED in /etc/default/coturn, and
# with Debian's configuration it is an open relay. A development machine needs the programs,
# never the services: the tests start their own on 127.0.0.1. Stop and disable what the packages
# just started (only those this script installed).
quiet_services() {
    for service in "$@"; do
        case " $missing " in
            *" $service "*) ;;
            *) continue ;;
        esac
        if [ -d "$SYSTEMD_RUN" ]; then
            systemctl disable --now "$service" >/dev/null 2>&1 || true
            echo "Stopped and disabled the $service service (the tests start their own)"
        elif [ -x "$INIT_D/$service" ]; then
            "$INIT_D/$service" stop >/dev/null 2>&1 || true
            echo "Stopped the $service service (the tests start their own)"
        fi
    done
    if grep -q '^[[:space:]]*TURNSERVER_ENABLED=1' "$COTURN_DEFAULTS" 2>/dev/null; then
        echo "warning: /etc/default/coturn enables the system's turnserver; comment it out" >&2
    fi
}

# Tests load the functions alone with KIOSK_DEV_DEPS_NO_MAIN=1.
if [ "${KIOSK_DEV_DEPS_NO_MAIN:-0}" = 1 ]; then
    return 0
fi

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
# The central server's install is tested with the real tools: `nginx -t` on its site, its
# coturn configuration in a turnserver on 127.0.0.1 (with turnutils_uclient), openssl for the
# certificates.
need nginx test -x /usr/sbin/nginx
need coturn sh -c "command -v turnserver && command -v turnutils_uclient"
need openssl has openssl

if [ -z "$missing" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    echo "Installing system packages:$missing"
    apt-get update -q
    # shellcheck disable=SC2086  # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
    quiet_services nginx coturn
else
    echo "These system packages are missing:$missing" >&2
    echo "Install them with:" >&2
    echo "    sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
