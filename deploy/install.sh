#!/bin/sh
# Turns a fresh Debian 12 (or Raspberry Pi OS bookworm) machine into a kiosk unit that boots
# straight into the kiosk's screen (see "Installer une borne" in README.md), or into the
# central server of a fleet of units (see "Run a fleet").
#
# Usage, as root, from a copy of the kiosk's source:
#   sh deploy/install.sh                    install, or update this unit (run it again any time)
#   sh deploy/install.sh --central URL --enrol-code CODE
#                                           the same, then enrol the unit with a central server
#   sh deploy/install.sh --server --server-name NAME (--tls-cert FILE --tls-key FILE | --self-signed)
#                                           install, or update, a central server
#   sh deploy/install.sh --dry-run ...      print every action, change nothing
#   sh deploy/install.sh --uninstall        remove the kiosk (unit or server); keep its
#                                           configuration, data, keys and database
#   sh deploy/install.sh --uninstall --purge    also delete configuration, data, keys, users
#                                           and, on a server, the kiosk's database
#
# Options of a unit:
#   --video-server URL   a video server the screen may open besides the kiosk itself, as a
#                        Chromium URL filter such as https://visio.example.org (repeat it for
#                        several; default: the list in $KIOSK_VIDEO_SERVERS, space-separated)
#   --central URL        the central server to enrol with, https://... (plain http:// only to
#                        127.0.0.1, for tests); goes with --enrol-code
#   --enrol-code CODE    the one-time code `kiosk unit add --site NAME` printed on the server
#
# Options of a central server (--server):
#   --server-name NAME   the server's DNS name, as units and doctors type it (required)
#   --tls-cert FILE      its TLS certificate chain (PEM), for example from Let's Encrypt
#   --tls-key FILE       the certificate's private key (PEM)
#   --self-signed        instead of the two above: make a self-signed certificate, for a trial
#   --workers N          gunicorn worker processes (default 4)
#   --turn-external-ip ADDRESS   the public address coturn tells browsers, when the server sits
#                        behind a 1:1 NAT (a cloud VM): PUBLIC or PUBLIC/PRIVATE
#
# Options of both:
#   --wheel FILE         install the kiosk from this wheel instead of this source tree
#   --root DIR           (also --prefix DIR; default: $DESTDIR, else /) lay the files out under
#                        DIR instead of /, without root rights: users, system packages, services,
#                        udev and file owners are left alone. The files still name /opt/kiosk,
#                        /etc/kiosk and so on. For tests and system images.
#   --no-deps            install the kiosk package without its dependencies (tests only)
#   -h, --help           this text
set -eu
umask 022

# Video servers the screen may open besides the kiosk (Chromium URL filters, space-separated).
# They go into the browser policy's URLAllowlist; camera and microphone stay for the kiosk only.
VIDEO_SERVERS=${KIOSK_VIDEO_SERVERS:-}

# System packages of a unit: Python and what pyscard needs to build (it has no Linux wheel),
# the screen (cage, Chromium, fonts, logind session), speech (espeak-ng; alsa-utils keeps the
# volume across reboots), the card reader (pcscd with the CCID driver; pcsc-tools for
# pcsc_scan) and curl for the health check. Never vsmartcard-vpcd on a unit: its virtual card
# reader listens on every network interface (DEVICES.md section 10).
APT_PACKAGES="python3 python3-venv python3-dev gcc pkgconf libpcsclite-dev ca-certificates curl
cage chromium fonts-dejavu-core dbus libpam-systemd espeak-ng alsa-utils pcscd libccid pcsc-tools"

# System packages of a central server: Python and what builds the kiosk's dependencies (the
# same as a unit's), PostgreSQL and Redis from Debian, nginx for TLS, coturn for the TURN relay,
# openssl for certificate checks. No screen, speech, card reader or udev rules.
SERVER_APT_PACKAGES="python3 python3-venv python3-dev gcc pkgconf libpcsclite-dev ca-certificates
curl openssl postgresql redis-server nginx coturn"

# What the kiosk's wheel is built from, in its source tree.
SOURCE_PARTS="pyproject.toml README.md kiosk voice peripherals templates"

KIOSK_USER=kiosk
BROWSER_USER=kiosk-browser
KIOSK_URL=http://127.0.0.1:8000
OPT_DIR=/opt/kiosk
VENV=$OPT_DIR/venv
KIOSK_BIN=$VENV/bin/kiosk
STAMP=$OPT_DIR/installed-from
WAIT_HEALTHY=$OPT_DIR/bin/kiosk-wait-healthy
CONFIG_EXAMPLE=$OPT_DIR/share/kiosk.toml.example
ETC_DIR=/etc/kiosk
CONFIG=$ETC_DIR/kiosk.toml
DATA_DIR=/var/lib/kiosk
MODEL_DIR=$DATA_DIR/models
UNIT_DIR=/etc/systemd/system
UNITS="kiosk-web.service kiosk-browser.service kiosk-purge.service kiosk-purge.timer"
UDEV_RULES=/etc/udev/rules.d/99-kiosk.rules
POLICY=/etc/chromium/policies/managed/kiosk.json
PAM_FILE=/etc/pam.d/kiosk-browser
KIOSK_LINK=/usr/local/bin/kiosk
# A central server's own files.
SERVER_UNITS="kiosk-web.service kiosk-purge.service kiosk-purge.timer"
TLS_DIR=$ETC_DIR/tls
SELF_CERT=$TLS_DIR/server.crt
SELF_KEY=$TLS_DIR/server.key
NGINX_SITE=/etc/nginx/sites-available/kiosk-central.conf
NGINX_LINK=/etc/nginx/sites-enabled/kiosk-central.conf
NGINX_DEBIAN_SITE=/etc/nginx/sites-available/default
NGINX_DEBIAN_LINK=/etc/nginx/sites-enabled/default
NGINX_PAGES=$OPT_DIR/share/nginx
TURN_DIR=/etc/kiosk-turn
TURN_CONF=$TURN_DIR/turnserver.conf
COTURN_DROPIN=/etc/systemd/system/coturn.service.d/kiosk.conf
TURN_USER=turnserver
TURN_SECRET=$DATA_DIR/keys/turn.secret
METRICS_TOKEN=$DATA_DIR/keys/metrics.token
UNIT_CREDENTIAL=$DATA_DIR/keys/unit.credential
DB_NAME=kiosk
# Peer authentication over PostgreSQL's local socket: the kiosk user is the kiosk role, and no
# password exists anywhere (Debian's pg_hba.conf allows "local all all peer").
DATABASE_URL="postgresql://$KIOSK_USER@/$DB_NAME?host=/run/postgresql"
REDIS_URL=redis://127.0.0.1:6379

PYTHON=${PYTHON:-python3}
DRY_RUN=0
ACTION=install
ROLE=unit  # or server
SERVER_NAME=
TLS_CERT=
TLS_KEY=
SELF_SIGNED=0
WORKERS=4
TURN_EXTERNAL_IP=
CENTRAL_URL=
ENROL_CODE=
VIDEO_SERVER_GIVEN=0
RENDERED=0
PURGE=0
NO_DEPS=0
WHEEL=
LIVE=1   # 1: installing into / (the machine itself)
R=       # the root prefixed to every path: empty for /
SRC=     # the kiosk's source tree (the parent of this script's folder)
WORK=    # a temporary folder for generated files
CHANGED=0

say() { printf '%s\n' "$*"; }
die() {
    printf 'install.sh: %s\n' "$*" >&2
    exit 1
}

# Every change goes through act: it prints the action, and runs it unless --dry-run.
act() {
    say "+$(quote_words "$@")"
    if [ "$DRY_RUN" = 0 ]; then
        "$@"
    fi
}

# quote_words WORD...: the words as a shell would need them typed, each after a space.
quote_words() {
    for word in "$@"; do
        case $word in
            '' | *[!A-Za-z0-9_./:=@%+,-]*)
                word="'$(printf '%s' "$word" | sed "s/'/'\\\\''/g")'"
                ;;
        esac
        printf ' %s' "$word"
    done
}

usage() { sed -n '2,/^set -eu/{/^set -eu/d;s/^# \{0,1\}//;p;}' "$1"; }

package_installed() {
    dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}

# fix_attrs PATH MODE [OWNER]: chmod/chown PATH where they differ (owners only on the live system).
fix_attrs() {
    owner=${3:-root:root}
    if [ "$(stat -c %a "$R$1")" != "${2#0}" ]; then
        act chmod "$2" "$R$1"
        CHANGED=1
    fi
    if [ "$LIVE" = 1 ] && [ "$(stat -c %U:%G "$R$1" 2>/dev/null)" != "$owner" ]; then
        act chown "$owner" "$R$1"
        CHANGED=1
    fi
}

# ensure_dir PATH MODE [OWNER]
ensure_dir() {
    if [ -d "$R$1" ]; then
        fix_attrs "$@"
    elif [ "$LIVE" = 1 ]; then
        owner=${3:-root:root}
        act install -d -m "$2" -o "${owner%%:*}" -g "${owner#*:}" "$R$1"
        CHANGED=1
    else
        act install -d -m "$2" "$R$1"
        CHANGED=1
    fi
}

# put_file SOURCE PATH MODE [OWNER]: install SOURCE as PATH unless PATH already holds the same.
put_file() {
    if [ -f "$R$2" ] && [ ! -L "$R$2" ] && cmp -s "$1" "$R$2"; then
        fix_attrs "$2" "$3" "${4:-root:root}"
        return 0
    fi
    if [ "$LIVE" = 1 ]; then
        owner=${4:-root:root}
        act install -D -m "$3" -o "${owner%%:*}" -g "${owner#*:}" "$1" "$R$2"
    else
        act install -D -m "$3" "$1" "$R$2"
    fi
    CHANGED=1
}

# ensure_link TARGET PATH
ensure_link() {
    if [ -L "$R$2" ] && [ "$(readlink "$R$2")" = "$1" ]; then
        return 0
    fi
    if [ ! -d "$(dirname "$R$2")" ]; then
        act mkdir -p "$(dirname "$R$2")"
    fi
    act ln -sfn "$1" "$R$2"
    CHANGED=1
}

# remove PATH...: delete what exists.
remove() {
    for path in "$@"; do
        if [ -e "$R$path" ] || [ -L "$R$path" ]; then
            act rm -rf "$R$path"
            CHANGED=1
        fi
    done
}

# prune_dirs DIR...: delete each folder left empty, deepest first.
prune_dirs() {
    for dir in "$@"; do
        if [ -d "$R$dir" ] && [ -z "$(ls -A "$R$dir")" ]; then
            act rmdir "$R$dir"
        fi
    done
}

# as_kiosk COMMAND...: run COMMAND as the kiosk user, with the unit's configuration.
as_kiosk() {
    runuser -u "$KIOSK_USER" -- env KIOSK_CONFIG="$CONFIG" "$@"
}

# kiosk_do ARGS...: an action of the kiosk command, as the kiosk user.
kiosk_do() {
    say "+ runuser -u $KIOSK_USER -- env KIOSK_CONFIG=$CONFIG $KIOSK_BIN$(quote_words "$@")"
    if [ "$DRY_RUN" = 0 ]; then
        as_kiosk "$KIOSK_BIN" "$@"
    fi
}

# kiosk_has_command HELP_TEXT NAME: `kiosk --help` lists the command NAME.
kiosk_has_command() {
    printf '%s\n' "$1" | grep -Eq "^  $2( |\$)"
}

# The languages of /etc/kiosk/kiosk.toml (the setting `languages`), space-separated.
configured_languages() {
    as_kiosk "$VENV/bin/python" -c \
        'from kiosk.core.config import load_config; print(" ".join(load_config().values["languages"]))'
}

# ---------------------------------------------------------------------------------------------
# The install, step by step.

preflight() {
    if [ "$LIVE" = 1 ]; then
        if [ "$DRY_RUN" = 0 ] && [ "$(id -u)" -ne 0 ]; then
            die "run it as root (sudo sh deploy/install.sh), or add --dry-run to see what it would do"
        fi
        command -v apt-get >/dev/null 2>&1 ||
            die "this installer is for Debian and Raspberry Pi OS (it needs apt-get)"
        if package_installed vsmartcard-vpcd; then
            if [ "$DRY_RUN" = 1 ]; then
                say "!! vsmartcard-vpcd is installed: the real install refuses to start until it is removed"
            else
                die "vsmartcard-vpcd is installed. Its virtual card reader listens on every" \
                    "network interface and must never run on a kiosk: remove it (apt-get purge" \
                    "vsmartcard-vpcd), then run this again."
            fi
        fi
    fi
    if [ ! -f "$SRC/kiosk/core/config.py" ] || [ ! -f "$SRC/deploy/render_config.py" ]; then
        die "run it from the kiosk's source tree (deploy/install.sh next to kiosk/)"
    fi
    if [ -z "$WHEEL" ]; then
        if [ ! -f "$SRC/kiosk/static/vendor/htmx.min.js" ] ||
            ! ls "$SRC"/kiosk/translations/*/LC_MESSAGES/messages.mo >/dev/null 2>&1; then
            die "the front-end assets and translations of $SRC are not built: run" \
                "'make assets translations' there (on a development machine), or pass --wheel FILE"
        fi
    fi
}

check_python() {
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        if [ "$DRY_RUN" = 1 ]; then
            die "$PYTHON is not installed yet: the dry run cannot go further (the install would add it)"
        fi
        die "$PYTHON not found"
    fi
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
        die "$PYTHON is older than 3.11; the kiosk needs Python 3.11"
}

# render ARGS...: deploy/render_config.py with the system's Python.
render() { "$PYTHON" "$SRC/deploy/render_config.py" "$@"; }

# The generated files, rendered before anything changes (a bad option stops here).
render_files() {
    if [ "$ROLE" = server ]; then
        render_server_files
    else
        render_unit_files
    fi
    RENDERED=1
}

render_unit_files() {
    if [ -n "$CENTRAL_URL" ]; then
        # The kiosk's own rule for central_url: https://, or http:// to this machine only.
        render check --source "$SRC" "central_url=$CENTRAL_URL" ||
            die "--central $CENTRAL_URL: a unit talks to its central server over https:// only"
    fi
    render kiosk-toml --source "$SRC" \
        --set mode=unit --set data_dir="$DATA_DIR" --set model_dir="$MODEL_DIR" \
        --note "mode=kiosk-web.service always runs in unit mode." \
        --note "bind=kiosk-web.service always listens on 127.0.0.1:8000, where the screen looks." \
        --note "secret_key=leave it empty: the key is in $DATA_DIR/secret_key (kiosk user only)." \
        >"$WORK/kiosk.toml"
    set -f # a URL filter such as https://[*.]example.org is no file name pattern
    set --
    for server in $VIDEO_SERVERS; do
        set -- "$@" "--allow=$server"
    done
    set +f
    render chromium-policy "$SRC/deploy/chromium/kiosk.json" "$@" >"$WORK/policy.json"
}

render_server_files() {
    # First: it checks the server name and the certificate's paths, which the rest builds on.
    render nginx-site "$SRC/deploy/nginx/kiosk-central.conf" --server-name "$SERVER_NAME" \
        --tls-cert "$TLS_CERT" --tls-key "$TLS_KEY" >"$WORK/nginx.conf"
    public_url=https://$SERVER_NAME
    turn="turn:$SERVER_NAME:3478"
    render kiosk-toml --source "$SRC" \
        --set mode=server --set data_dir="$DATA_DIR" --set workers="$WORKERS" \
        --set database_url="$DATABASE_URL" --set rate_limit_storage="$REDIS_URL" \
        --set public_url="$public_url" --set tls=true \
        --set trusted_hosts="$SERVER_NAME, 127.0.0.1, localhost" \
        --set turn_urls="$turn?transport=udp, $turn?transport=tcp" \
        --note "mode=kiosk-web.service always runs in server mode." \
        --note "bind=kiosk-web.service always listens on 127.0.0.1:8000, behind nginx." \
        --note "secret_key=leave it empty: the key is in $DATA_DIR/secret_key (kiosk user only)." \
        --note "database_url=the kiosk user logs in to PostgreSQL by its local socket: no password." \
        --note "trusted_hosts=nginx passes on only requests for $SERVER_NAME; the others are for checks on this machine." \
        --note "turn_secret_file=made by install.sh; coturn has the same secret in $TURN_CONF." \
        >"$WORK/kiosk.toml"
    # The TURN secret: the one this server has (kept across installs), or a new one.
    if [ -f "$R$TURN_SECRET" ] && [ -r "$R$TURN_SECRET" ]; then
        cp "$R$TURN_SECRET" "$WORK/turn.secret"
    else
        new_secret "$WORK/turn.secret"
    fi
    set --
    if [ -n "$TURN_EXTERNAL_IP" ]; then
        set -- --external-ip "$TURN_EXTERNAL_IP"
    fi
    (
        umask 077
        render coturn "$SRC/deploy/coturn/turnserver.conf" --realm "$SERVER_NAME" \
            --secret-file "$WORK/turn.secret" "$@" >"$WORK/turnserver.conf"
    )
    check_tls_files
}

# tls_matches CERT KEY: the certificate is valid now, for SERVER_NAME, and the key is its own.
tls_matches() {
    case $SERVER_NAME in
        *[!0-9.]*) check=-checkhost ;;
        *) check=-checkip ;;
    esac
    openssl x509 -in "$1" -noout -checkend 0 >/dev/null 2>&1 &&
        openssl x509 -in "$1" -noout "$check" "$SERVER_NAME" 2>/dev/null | grep -q ' does match' &&
        [ "$(openssl x509 -in "$1" -noout -pubkey 2>/dev/null)" = \
            "$(openssl pkey -in "$2" -pubout 2>/dev/null)" ]
}

# The certificate given with --tls-cert and --tls-key, checked before anything changes: nginx
# would refuse to start with a key of another certificate, and units refuse a certificate for
# another name or out of date.
check_tls_files() {
    [ "$SELF_SIGNED" = 0 ] || return 0
    if [ ! -e "$R$TLS_CERT" ] || [ ! -e "$R$TLS_KEY" ]; then
        if [ "$LIVE" = 1 ]; then
            die "no certificate at $TLS_CERT or no key at $TLS_KEY"
        fi
        return 0 # into --root, the live system's certificate is not there to check
    fi
    if [ "$LIVE" = 1 ] && [ "$(id -u)" -ne 0 ] && [ ! -r "$R$TLS_KEY" ]; then
        say "!! $TLS_KEY is readable by root only: the real install checks it against $TLS_CERT"
        return 0
    fi
    command -v openssl >/dev/null 2>&1 || die "openssl is missing: install Debian's openssl"
    tls_matches "$R$TLS_CERT" "$R$TLS_KEY" ||
        die "$TLS_CERT and $TLS_KEY do not make a valid certificate for $SERVER_NAME" \
            "(out of date, for another name, or a key of another certificate):" \
            "check them with 'openssl x509 -in $TLS_CERT -noout -subject -ext subjectAltName -dates'"
}

install_packages() {
    say "== System packages"
    if [ "$LIVE" = 0 ]; then
        say "   skipped: not the live system"
        return 0
    fi
    packages=$APT_PACKAGES
    if [ "$ROLE" = server ]; then
        packages=$SERVER_APT_PACKAGES
    fi
    missing=
    for package in $packages; do
        package_installed "$package" || missing="$missing $package"
    done
    if [ -z "$missing" ]; then
        say "   all present"
    else
        act apt-get update -q
        # shellcheck disable=SC2086  # one word per package
        act env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
        case " $missing " in
            *" coturn "*)
                # Debian starts coturn at once with its own configuration, which relays for
                # anyone on every interface: off until the kiosk's configuration is in place.
                act systemctl stop coturn.service
                ;;
        esac
    fi
}

# add_to_groups USER GROUP...: the groups that exist on this machine.
add_to_groups() {
    user=$1
    shift
    for group in "$@"; do
        getent group "$group" >/dev/null 2>&1 || continue
        if ! id -nG "$user" 2>/dev/null | tr ' ' '\n' | grep -qx "$group"; then
            act usermod -a -G "$group" "$user"
        fi
    done
}

create_users() {
    say "== Users"
    if [ "$LIVE" = 0 ]; then
        say "   skipped: not the live system"
        return 0
    fi
    # kiosk runs the web application and owns the data and keys; dialout opens the serial devices.
    if ! getent passwd "$KIOSK_USER" >/dev/null 2>&1; then
        act useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
            --shell /usr/sbin/nologin --comment "Teleconsultation kiosk" "$KIOSK_USER"
    fi
    [ "$ROLE" = server ] && return 0 # no serial device, no screen on a server
    add_to_groups "$KIOSK_USER" dialout
    # kiosk-browser runs the screen; it cannot read the kiosk's data or keys.
    if ! getent passwd "$BROWSER_USER" >/dev/null 2>&1; then
        act useradd --system --user-group --home-dir /run/kiosk-browser --no-create-home \
            --shell /usr/sbin/nologin --comment "Teleconsultation kiosk screen" "$BROWSER_USER"
    fi
    add_to_groups "$BROWSER_USER" video render input audio
}

# What the app is installed from: the wheel's SHA-256, or one over the source files ("no-deps"
# added without the dependencies, so that a normal install afterwards brings them).
app_stamp() {
    if [ "$NO_DEPS" = 1 ]; then
        printf 'no-deps '
    fi
    if [ -n "$WHEEL" ]; then
        printf 'wheel %s\n' "$(sha256sum <"$WHEEL" | cut -d' ' -f1)"
    else
        # shellcheck disable=SC2086  # one word per part
        printf 'source %s\n' "$(cd "$SRC" && find $SOURCE_PARTS \
            -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -exec sha256sum {} + |
            LC_ALL=C sort -k 2 | sha256sum | cut -d' ' -f1)"
    fi
}

# pip ARGS...: the virtual environment's pip, as an action.
pip() {
    act "$R$VENV/bin/python" -m pip --disable-pip-version-check --no-input "$@"
}

install_app() {
    say "== The kiosk application in $VENV"
    ensure_dir "$OPT_DIR" 0755
    if [ -x "$R$VENV/bin/python" ] && "$R$VENV/bin/python" -c 'import sys' 2>/dev/null; then
        :
    else
        # --clear also rebuilds a virtual environment that a Python upgrade left broken.
        act "$PYTHON" -m venv --clear "$R$VENV"
        CHANGED=1
    fi
    app_stamp >"$WORK/stamp"
    if [ -x "$R$KIOSK_BIN" ] && [ -f "$R$STAMP" ] && cmp -s "$WORK/stamp" "$R$STAMP"; then
        say "   the kiosk package is up to date ($(cat "$WORK/stamp"))"
    else
        wheel=$WHEEL
        if [ -z "$wheel" ]; then
            # Built from a copy, so the build leaves nothing behind in the source tree.
            act mkdir "$WORK/src"
            for part in $SOURCE_PARTS; do
                act cp -a "$SRC/$part" "$WORK/src/"
            done
            pip wheel --quiet --no-cache-dir --no-deps --wheel-dir "$WORK/wheel" "$WORK/src"
            wheel=$(ls "$WORK"/wheel/kiosk-*.whl 2>/dev/null || echo "$WORK/wheel/kiosk-VERSION.whl")
        fi
        if [ "$NO_DEPS" = 0 ]; then
            pip install --quiet --no-cache-dir "$wheel"
        fi
        # The same version number may hold new code: replace the package itself every time.
        pip install --quiet --no-cache-dir --no-deps --force-reinstall "$wheel"
        put_file "$WORK/stamp" "$STAMP" 0644
    fi
    ensure_link "$KIOSK_BIN" "$KIOSK_LINK"
    put_file "$SRC/deploy/kiosk-wait-healthy.sh" "$WAIT_HEALTHY" 0755
}

install_config() {
    say "== Configuration in $CONFIG"
    ensure_dir "$ETC_DIR" 0750 "root:$KIOSK_USER"
    put_file "$WORK/kiosk.toml" "$CONFIG_EXAMPLE" 0644
    if [ -e "$R$CONFIG" ]; then
        fix_attrs "$CONFIG" 0640 "root:$KIOSK_USER"
        if ! cmp -s "$WORK/kiosk.toml" "$R$CONFIG"; then
            say "   kept your $CONFIG; every setting of this version, commented: $CONFIG_EXAMPLE"
            if [ -r "$R$CONFIG" ]; then
                render compare-toml "$R$CONFIG" "$WORK/kiosk.toml"
            fi
        fi
    else
        put_file "$WORK/kiosk.toml" "$CONFIG" 0640 "root:$KIOSK_USER"
    fi
}

# new_secret FILE [PYTHON_CODE]: a random secret (default: 48 URL-safe characters) into FILE.
new_secret() {
    (
        umask 077
        "$PYTHON" -c "${2:-import secrets; print(secrets.token_urlsafe(36))}" >"$1"
    )
}

# put_secret PATH PYTHON_CODE [MODE OWNER]: a new random secret, readable by the service only
# (by default); never replaced.
put_secret() {
    mode=${3:-0600}
    owner=${4:-$KIOSK_USER:$KIOSK_USER}
    if [ -e "$R$1" ]; then
        fix_attrs "$1" "$mode" "$owner"
        return 0
    fi
    new_secret "$WORK/secret" "$2"
    put_file "$WORK/secret" "$1" "$mode" "$owner"
    rm -f "$WORK/secret"
}

install_data() {
    say "== Data and keys in $DATA_DIR"
    ensure_dir "$DATA_DIR" 0750 "$KIOSK_USER:$KIOSK_USER"
    if [ "$ROLE" = unit ]; then
        ensure_dir "$MODEL_DIR" 0750 "$KIOSK_USER:$KIOSK_USER"
    fi
    ensure_dir "$DATA_DIR/keys" 0700 "$KIOSK_USER:$KIOSK_USER"
    # The kiosk reads these from its data folder (kiosk/__init__.py, kiosk/security/vault.py,
    # kiosk/devices/service.py). Made here, they belong to the service even if root runs `kiosk` first.
    put_secret "$DATA_DIR/secret_key" 'import secrets; print(secrets.token_urlsafe(48))'
    put_secret "$DATA_DIR/keys/fields.key" \
        'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'
    if [ "$ROLE" = unit ]; then
        put_secret "$DATA_DIR/admin.token" 'import secrets; print(secrets.token_urlsafe(32))'
        return 0
    fi
    # The TURN secret is root's: the kiosk reads it to sign call credentials, coturn has a copy
    # in its configuration, and neither can change it behind the other's back.
    if [ -e "$R$TURN_SECRET" ]; then
        fix_attrs "$TURN_SECRET" 0640 "root:$KIOSK_USER"
    else
        put_file "$WORK/turn.secret" "$TURN_SECRET" 0640 "root:$KIOSK_USER"
    fi
    # The bearer token Prometheus sends for /metrics (the metrics_token_file setting).
    put_secret "$METRICS_TOKEN" 'import secrets; print(secrets.token_urlsafe(32))'
}

install_system_files() {
    say "== Devices, browser policy, screen session and services"
    CHANGED=0
    put_file "$SRC/deploy/udev/99-kiosk.rules" "$UDEV_RULES" 0644
    UDEV_CHANGED=$CHANGED

    put_file "$WORK/policy.json" "$POLICY" 0644
    put_file "$SRC/deploy/pam/kiosk-browser" "$PAM_FILE" 0644
    BROWSER_CHANGED=$CHANGED

    CHANGED=0
    for unit in $UNITS; do
        put_file "$SRC/deploy/systemd/$unit" "$UNIT_DIR/$unit" 0644
    done
    UNITS_CHANGED=$CHANGED
}

# A self-signed certificate for a trial server (--self-signed): made once, made again only when
# it no longer fits the server's name or is out of date.
install_self_signed() {
    [ "$SELF_SIGNED" = 1 ] || return 0
    ensure_dir "$TLS_DIR" 0700
    if [ -f "$R$SELF_CERT" ] && [ -f "$R$SELF_KEY" ] && tls_matches "$R$SELF_CERT" "$R$SELF_KEY"; then
        fix_attrs "$SELF_CERT" 0644
        fix_attrs "$SELF_KEY" 0600
        return 0
    fi
    case $SERVER_NAME in
        *[!0-9.]*) alt=DNS:$SERVER_NAME ;;
        *) alt=IP:$SERVER_NAME ;;
    esac
    act openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/tls.key"
    act openssl req -new -x509 -key "$WORK/tls.key" -days 825 -subj "/CN=$SERVER_NAME" \
        -addext "subjectAltName=$alt" -out "$WORK/tls.crt"
    put_file "$WORK/tls.key" "$SELF_KEY" 0600
    put_file "$WORK/tls.crt" "$SELF_CERT" 0644
}

install_server_files() {
    say "== TLS certificate"
    CHANGED=0
    install_self_signed
    say "   nginx uses $TLS_CERT and $TLS_KEY"

    say "== nginx in front of kiosk-web"
    for page in unavailable.html too-large.html; do
        put_file "$SRC/deploy/nginx/pages/$page" "$NGINX_PAGES/$page" 0644
    done
    if [ -f "$R$NGINX_SITE" ]; then
        cp "$R$NGINX_SITE" "$WORK/nginx.previous" # put back if `nginx -t` refuses the new one
    fi
    put_file "$WORK/nginx.conf" "$NGINX_SITE" 0644
    ensure_link "$NGINX_SITE" "$NGINX_LINK"
    # Debian's welcome site claims every other name on port 80, as the kiosk's site does.
    if [ -L "$R$NGINX_DEBIAN_LINK" ]; then
        act rm "$R$NGINX_DEBIAN_LINK"
        CHANGED=1
    fi
    NGINX_CHANGED=$CHANGED

    say "== coturn, the relay of the video calls"
    CHANGED=0
    ensure_dir "$TURN_DIR" 0750 "root:$TURN_USER"
    put_file "$WORK/turnserver.conf" "$TURN_CONF" 0640 "root:$TURN_USER"
    put_file "$SRC/deploy/systemd/coturn-kiosk.conf" "$COTURN_DROPIN" 0644
    TURN_CHANGED=$CHANGED

    say "== Services"
    CHANGED=0
    for unit in $SERVER_UNITS; do
        source=$SRC/deploy/systemd/$unit
        if [ -f "$SRC/deploy/systemd/server/$unit" ]; then
            source=$SRC/deploy/systemd/server/$unit
        fi
        put_file "$source" "$UNIT_DIR/$unit" 0644
    done
    UNITS_CHANGED=$CHANGED
    if [ "$TURN_CHANGED" = 1 ]; then
        UNITS_CHANGED=1 # the drop-in of coturn.service
    fi
}

# psql_says SQL: the one value a query as the postgres user returns (nothing if it fails).
psql_says() {
    runuser -u postgres -- psql -XAtq -c "$1" 2>/dev/null || true
}

# The kiosk role and database: PostgreSQL's own peer authentication lets the kiosk user in
# as the kiosk role over the local socket, so no password is made, stored or sent.
setup_database() {
    if [ "$(psql_says "SELECT 1 FROM pg_roles WHERE rolname = '$KIOSK_USER'")" != 1 ]; then
        act runuser -u postgres -- createuser --no-superuser --no-createdb --no-createrole \
            "$KIOSK_USER"
    fi
    if [ "$(psql_says "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
        act runuser -u postgres -- createdb --owner="$KIOSK_USER" --encoding=UTF8 \
            --template=template0 "$DB_NAME"
    fi
}

start_server_services() {
    say "== Database, services and nginx"
    if [ "$LIVE" = 0 ]; then
        say "   skipped: not the live system"
        return 0
    fi
    if [ "$UNITS_CHANGED" = 1 ]; then
        act systemctl daemon-reload
    fi
    for unit in postgresql.service redis-server.service; do
        is_enabled "$unit" || act systemctl enable "$unit"
        is_active "$unit" || act systemctl start "$unit"
    done
    setup_database
    for unit in kiosk-web.service kiosk-purge.timer coturn.service nginx.service; do
        is_enabled "$unit" || act systemctl enable "$unit"
    done
    kiosk_do db upgrade
    if [ "$APP_CHANGED" = 1 ] || [ "$UNITS_CHANGED" = 1 ] || ! is_active kiosk-web.service; then
        act systemctl restart kiosk-web.service
    fi
    is_active kiosk-purge.timer || act systemctl start kiosk-purge.timer
    if [ "$TURN_CHANGED" = 1 ] || ! is_active coturn.service; then
        act systemctl restart coturn.service
    fi
    say "+ nginx -t"
    if [ "$DRY_RUN" = 0 ] && ! nginx -t; then
        if [ -f "$WORK/nginx.previous" ]; then
            cp "$WORK/nginx.previous" "$R$NGINX_SITE"
            say "   put back the previous $NGINX_SITE"
        fi
        die "nginx refuses its configuration (see above): nginx keeps running as it was"
    fi
    if ! is_active nginx.service; then
        act systemctl start nginx.service
    elif [ "$NGINX_CHANGED" = 1 ]; then
        act systemctl reload nginx.service
    fi
}

# `kiosk models install` and `kiosk speech prerender` come with a later version of the kiosk.
# Until `kiosk --help` lists them, say so: the unit then works by touch, and renders each spoken
# prompt the first time it is needed.
install_speech_models() {
    say "== Speech models and spoken prompts"
    if [ "$LIVE" = 0 ]; then
        say "   skipped: not the live system"
        return 0
    fi
    if [ ! -x "$R$KIOSK_BIN" ]; then
        say "   would ask 'kiosk --help' for the models and speech commands"
        return 0
    fi
    help=$(as_kiosk "$KIOSK_BIN" --help 2>/dev/null || true)
    if kiosk_has_command "$help" models; then
        for lang in $(configured_languages); do
            kiosk_do models install "$lang"
        done
    else
        say "   Speech models will be installed by a later version of the kiosk"
        say "   ('kiosk models install' is not there yet): until then the unit works by touch."
    fi
    if kiosk_has_command "$help" speech; then
        kiosk_do speech prerender
    else
        say "   Spoken prompts will be rendered ahead of time by a later version of the kiosk"
        say "   ('kiosk speech prerender' is not there yet): until then, on first use."
    fi
}

# A unit given --central and --enrol-code trades the code for its credential on the central
# server (`kiosk enrol`, as the kiosk user: the credential is its own, mode 0600). Once.
enrol_unit() {
    [ -n "$CENTRAL_URL" ] || return 0
    say "== Enrolment with $CENTRAL_URL"
    if [ -e "$R$UNIT_CREDENTIAL" ]; then
        say "   already enrolled: $UNIT_CREDENTIAL exists. To enrol again, delete it and run"
        say "   this again with a new code."
        return 0
    fi
    if [ "$LIVE" = 0 ]; then
        say "   skipped: not the live system. On the unit itself this runs:"
        say "   kiosk enrol $CENTRAL_URL --code $ENROL_CODE"
        return 0
    fi
    if [ "$DRY_RUN" = 0 ] || [ -x "$R$KIOSK_BIN" ]; then
        help=$(as_kiosk "$KIOSK_BIN" --help 2>/dev/null || true)
        if ! kiosk_has_command "$help" enrol; then
            if [ "$DRY_RUN" = 1 ]; then
                say "!! this version of the kiosk has no 'kiosk enrol' yet: the real install stops here"
            else
                die "this version of the kiosk has no 'kiosk enrol' yet: the unit is installed" \
                    "but not enrolled. Install a version with the fleet, then run this again."
            fi
        fi
    fi
    kiosk_do enrol "$CENTRAL_URL" --code "$ENROL_CODE"
    ENROLLED=1
}

# is_enabled UNIT / is_active UNIT
is_enabled() { [ "$(systemctl is-enabled "$1" 2>/dev/null)" = enabled ]; }
is_active() { systemctl is-active --quiet "$1" 2>/dev/null; }

start_services() {
    if [ "$LIVE" = 0 ]; then
        install_speech_models
        enrol_unit
        say "== Services"
        say "   skipped: not the live system"
        return 0
    fi
    say "== Services"
    if [ "$UNITS_CHANGED" = 1 ]; then
        act systemctl daemon-reload
    fi
    if [ "$UDEV_CHANGED" = 1 ]; then
        act udevadm control --reload
        act udevadm trigger --subsystem-match=tty --action=add
    fi
    for unit in pcscd.socket kiosk-web.service kiosk-browser.service kiosk-purge.timer; do
        is_enabled "$unit" || act systemctl enable "$unit"
    done
    if [ "$(systemctl get-default 2>/dev/null)" != graphical.target ]; then
        act systemctl set-default graphical.target
    fi
    is_active pcscd.socket || act systemctl start pcscd.socket
    kiosk_do db upgrade
    install_speech_models
    ENROLLED=0
    enrol_unit
    if [ "$APP_CHANGED" = 1 ] || [ "$UNITS_CHANGED" = 1 ] || [ "$ENROLLED" = 1 ] ||
        ! is_active kiosk-web.service; then
        act systemctl restart kiosk-web.service
    fi
    is_active kiosk-purge.timer || act systemctl start kiosk-purge.timer
    if [ "$APP_CHANGED" = 1 ] || [ "$UNITS_CHANGED" = 1 ] || [ "$BROWSER_CHANGED" = 1 ] ||
        ! is_active kiosk-browser.service; then
        act systemctl restart kiosk-browser.service
    fi
}

do_install() {
    preflight
    # Options are checked by the kiosk's own rules before anything changes, when Python is
    # already there (on a fresh machine without it, right after the packages).
    if command -v "$PYTHON" >/dev/null 2>&1; then
        check_python
        render_files
    fi
    install_packages
    if [ "$RENDERED" = 0 ]; then
        check_python
        render_files
    fi
    create_users
    CHANGED=0
    install_app
    install_config
    install_data
    APP_CHANGED=$CHANGED
    if [ "$ROLE" = server ]; then
        install_server_files
        start_server_services
    else
        install_system_files
        start_services
    fi
    say ""
    if [ "$DRY_RUN" = 1 ]; then
        say "Dry run: nothing was changed."
    elif [ "$LIVE" = 0 ]; then
        say "Done: files laid out under $R."
    elif [ "$ROLE" = server ]; then
        say "Done. Check the central server:"
        say "  systemctl status kiosk-web nginx coturn postgresql redis-server kiosk-purge.timer"
        say "  curl https://$SERVER_NAME/healthz"
        say "Then give each site's units an enrolment code:"
        say "  sudo -u $KIOSK_USER kiosk unit add --site \"Pharmacie du Centre\""
    else
        say "Done. Check the unit:"
        say "  systemctl status kiosk-web kiosk-browser"
        say "  curl $KIOSK_URL/healthz"
        say "  sudo -u $KIOSK_USER kiosk devices"
        say "  sudo -u $KIOSK_USER kiosk devices test"
    fi
}

do_uninstall() {
    say "== Uninstall"
    if [ "$LIVE" = 1 ]; then
        if [ "$DRY_RUN" = 0 ] && [ "$(id -u)" -ne 0 ]; then
            die "run it as root, or add --dry-run to see what it would do"
        fi
        for unit in kiosk-browser.service kiosk-purge.timer kiosk-web.service; do
            if [ -e "$R$UNIT_DIR/$unit" ]; then
                act systemctl disable --now "$unit"
            fi
        done
        # Without the kiosk's drop-in, coturn would run Debian's open configuration: stop it.
        if [ -e "$R$COTURN_DROPIN" ]; then
            act systemctl disable --now coturn.service
        fi
    fi
    CHANGED=0
    for unit in $UNITS; do
        remove "$UNIT_DIR/$unit"
    done
    remove "$COTURN_DROPIN"
    UNITS_CHANGED=$CHANGED
    CHANGED=0
    remove "$UDEV_RULES"
    UDEV_CHANGED=$CHANGED
    remove "$POLICY" "$PAM_FILE" "$KIOSK_LINK" "$OPT_DIR" "$TURN_DIR"
    CHANGED=0
    remove "$NGINX_LINK" "$NGINX_SITE"
    NGINX_CHANGED=$CHANGED
    # Debian's welcome site, which the server's install turned off, comes back.
    if [ "$NGINX_CHANGED" = 1 ] && [ -f "$R$NGINX_DEBIAN_SITE" ] &&
        [ ! -e "$R$NGINX_DEBIAN_LINK" ] && [ ! -L "$R$NGINX_DEBIAN_LINK" ]; then
        act ln -s "$NGINX_DEBIAN_SITE" "$R$NGINX_DEBIAN_LINK"
    fi
    if [ "$PURGE" = 1 ]; then
        remove "$ETC_DIR" "$DATA_DIR"
    fi
    prune_dirs "${COTURN_DROPIN%/*}"
    if [ "$LIVE" = 1 ]; then
        if [ "$UNITS_CHANGED" = 1 ]; then
            act systemctl daemon-reload
        fi
        if [ "$UDEV_CHANGED" = 1 ]; then
            act udevadm control --reload
        fi
        if [ "$NGINX_CHANGED" = 1 ] && is_active nginx.service; then
            act systemctl reload nginx.service
        fi
        if [ "$PURGE" = 1 ]; then
            drop_database
            for user in "$BROWSER_USER" "$KIOSK_USER"; do
                if getent passwd "$user" >/dev/null 2>&1; then
                    act userdel "$user"
                fi
            done
        fi
        prune_dirs /etc/chromium/policies/managed /etc/chromium/policies
    else
        # Outside the live system, the folders this script created around its files.
        prune_dirs /etc/chromium/policies/managed /etc/chromium/policies /etc/chromium \
            /etc/systemd/system /etc/systemd /etc/udev/rules.d /etc/udev /etc/pam.d \
            /etc/nginx/sites-enabled /etc/nginx/sites-available /etc/nginx \
            /usr/local/bin /usr/local /usr /opt /var/lib /var /etc
    fi
    say ""
    if [ "$PURGE" = 0 ]; then
        say "Kept: $ETC_DIR (configuration), $DATA_DIR (data and keys), on a central server the"
        say "'$DB_NAME' PostgreSQL database, and the users. 'install.sh --uninstall --purge'"
        say "deletes them too."
    fi
    say "System packages stay installed (other software may use them); pcscd stays enabled."
    if [ "$DRY_RUN" = 1 ]; then
        say "Dry run: nothing was changed."
    fi
}

# The kiosk's PostgreSQL database and role, on a central server (--uninstall --purge).
drop_database() {
    command -v psql >/dev/null 2>&1 || return 0
    if [ "$(psql_says "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" = 1 ]; then
        act runuser -u postgres -- dropdb "$DB_NAME"
    fi
    if [ "$(psql_says "SELECT 1 FROM pg_roles WHERE rolname = '$KIOSK_USER'")" = 1 ]; then
        act runuser -u postgres -- dropuser "$KIOSK_USER"
    fi
}

# set_option OPTION VALUE: an option that takes a value.
set_option() {
    case $1 in
        --root | --prefix) root=$2 ;;
        --wheel) WHEEL=$2 ;;
        --video-server)
            VIDEO_SERVERS="$VIDEO_SERVERS $2"
            VIDEO_SERVER_GIVEN=1
            ;;
        --central) CENTRAL_URL=$2 ;;
        --enrol-code) ENROL_CODE=$2 ;;
        --server-name) SERVER_NAME=$2 ;;
        --tls-cert) TLS_CERT=$2 ;;
        --tls-key) TLS_KEY=$2 ;;
        --workers) WORKERS=$2 ;;
        --turn-external-ip) TURN_EXTERNAL_IP=$2 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
}

# check_options: the options that go together, before anything is looked at or changed.
check_options() {
    if [ "$PURGE" = 1 ] && [ "$ACTION" != uninstall ]; then
        die "--purge goes with --uninstall"
    fi
    if [ "$ROLE" = unit ]; then
        for given in "$SERVER_NAME:--server-name" "$TLS_CERT:--tls-cert" "$TLS_KEY:--tls-key" \
            "$TURN_EXTERNAL_IP:--turn-external-ip"; do
            [ -z "${given%:*}" ] || die "${given##*:} goes with --server"
        done
        [ "$SELF_SIGNED" = 0 ] || die "--self-signed goes with --server"
        if [ -n "$CENTRAL_URL" ] && [ -z "$ENROL_CODE" ]; then
            die "--central needs --enrol-code: create one on the central server with" \
                "'kiosk unit add --site NAME'"
        fi
        if [ -z "$CENTRAL_URL" ] && [ -n "$ENROL_CODE" ]; then
            die "--enrol-code needs --central URL, the central server's address"
        fi
        case $ENROL_CODE in
            *[!A-Za-z0-9-]*) die "--enrol-code: a code such as ABCD-2345, not '$ENROL_CODE'" ;;
        esac
        return 0
    fi
    if [ -n "$CENTRAL_URL$ENROL_CODE" ] || [ "$VIDEO_SERVER_GIVEN" = 1 ]; then
        die "--central, --enrol-code and --video-server are for a unit, not with --server"
    fi
    [ "$ACTION" = install ] || return 0
    [ -n "$SERVER_NAME" ] || die "--server needs --server-name NAME, the server's DNS name"
    # DNS names are case-insensitive; nginx, certificates and trusted_hosts compare them lowered.
    SERVER_NAME=$(printf '%s' "$SERVER_NAME" | tr '[:upper:]' '[:lower:]')
    if [ "$SELF_SIGNED" = 1 ]; then
        if [ -n "$TLS_CERT$TLS_KEY" ]; then
            die "--self-signed makes its own certificate: give it without --tls-cert and --tls-key"
        fi
        TLS_CERT=$SELF_CERT
        TLS_KEY=$SELF_KEY
    elif [ -z "$TLS_CERT" ] || [ -z "$TLS_KEY" ]; then
        die "--server needs its TLS certificate: --tls-cert FILE and --tls-key FILE," \
            "or --self-signed for a trial"
    fi
}

main() {
    root=${DESTDIR:-/}
    while [ $# -gt 0 ]; do
        case $1 in
            --dry-run) DRY_RUN=1 ;;
            --uninstall) ACTION=uninstall ;;
            --purge) PURGE=1 ;;
            --no-deps) NO_DEPS=1 ;;
            --server) ROLE=server ;;
            --self-signed) SELF_SIGNED=1 ;;
            --root | --prefix | --wheel | --video-server | --central | --enrol-code | \
                --server-name | --tls-cert | --tls-key | --workers | --turn-external-ip)
                [ $# -ge 2 ] || die "$1 needs a value"
                set_option "$1" "$2"
                shift
                ;;
            --*=*) set_option "${1%%=*}" "${1#*=}" ;;
            -h | --help)
                usage "$0"
                exit 0
                ;;
            *) die "unknown option $1 (see --help)" ;;
        esac
        shift
    done
    check_options

    SRC=$(cd "$(dirname "$0")/.." && pwd -P)
    [ -d "$root" ] || die "--root $root is not a folder"
    R=$(cd "$root" && pwd -P)
    if [ "$R" = / ]; then
        R=
        LIVE=1
    else
        LIVE=0
    fi
    if [ -n "$WHEEL" ]; then
        [ -f "$WHEEL" ] || die "no wheel at $WHEEL"
        WHEEL=$(cd "$(dirname "$WHEEL")" && pwd -P)/$(basename "$WHEEL")
    fi
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-install.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
    trap 'exit 130' INT TERM
    trap 'exit 141' HUP PIPE
    cd /

    if [ "$DRY_RUN" = 1 ]; then
        say "Dry run: every action is printed (+) and none is carried out."
    fi
    if [ "$LIVE" = 0 ]; then
        say "Into $R: files only; users, packages, services and udev are left alone."
    fi
    if [ "$ACTION" = uninstall ]; then
        do_uninstall
    else
        do_install
    fi
}

# Tests load the functions alone with KIOSK_INSTALL_NO_MAIN=1.
if [ "${KIOSK_INSTALL_NO_MAIN:-0}" != 1 ]; then
    main "$@"
fi
