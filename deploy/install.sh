#!/bin/sh
# Turns a fresh Debian 12 (or Raspberry Pi OS bookworm) machine into a kiosk unit that boots
# straight into the kiosk's screen. See "Installer une borne" in README.md.
#
# Usage, as root, from a copy of the kiosk's source:
#   sh deploy/install.sh                    install, or update this unit (run it again any time)
#   sh deploy/install.sh --dry-run          print every action, change nothing
#   sh deploy/install.sh --uninstall        remove the kiosk; keep its configuration, data, keys
#   sh deploy/install.sh --uninstall --purge    also delete configuration, data, keys and users
#
# Options:
#   --video-server URL   a video server the screen may open besides the kiosk itself, as a
#                        Chromium URL filter such as https://visio.example.org (repeat it for
#                        several; default: the list in $KIOSK_VIDEO_SERVERS, space-separated)
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

PYTHON=${PYTHON:-python3}
DRY_RUN=0
ACTION=install
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
        'from kiosk.config import load_config; print(" ".join(load_config().values["languages"]))'
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
    if [ ! -f "$SRC/kiosk/config.py" ] || [ ! -f "$SRC/deploy/render_config.py" ]; then
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

# The generated files, rendered before anything changes (a bad --video-server stops here).
render_files() {
    "$PYTHON" "$SRC/deploy/render_config.py" kiosk-toml --source "$SRC" \
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
    "$PYTHON" "$SRC/deploy/render_config.py" chromium-policy "$SRC/deploy/chromium/kiosk.json" \
        "$@" >"$WORK/policy.json"
}

install_packages() {
    say "== System packages"
    if [ "$LIVE" = 0 ]; then
        say "   skipped: not the live system"
        return 0
    fi
    missing=
    for package in $APT_PACKAGES; do
        package_installed "$package" || missing="$missing $package"
    done
    if [ -z "$missing" ]; then
        say "   all present"
    else
        act apt-get update -q
        # shellcheck disable=SC2086  # one word per package
        act env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
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
        fi
    else
        put_file "$WORK/kiosk.toml" "$CONFIG" 0640 "root:$KIOSK_USER"
    fi
}

# put_secret PATH PYTHON_CODE: a new random secret, readable by the service only; never replaced.
put_secret() {
    if [ -e "$R$1" ]; then
        fix_attrs "$1" 0600 "$KIOSK_USER:$KIOSK_USER"
        return 0
    fi
    (
        umask 077
        "$PYTHON" -c "$2" >"$WORK/secret"
    )
    put_file "$WORK/secret" "$1" 0600 "$KIOSK_USER:$KIOSK_USER"
    rm -f "$WORK/secret"
}

install_data() {
    say "== Data and keys in $DATA_DIR"
    ensure_dir "$DATA_DIR" 0750 "$KIOSK_USER:$KIOSK_USER"
    ensure_dir "$MODEL_DIR" 0750 "$KIOSK_USER:$KIOSK_USER"
    ensure_dir "$DATA_DIR/keys" 0700 "$KIOSK_USER:$KIOSK_USER"
    # The kiosk reads these three from its data folder (kiosk/__init__.py, kiosk/vault.py,
    # kiosk/devices.py). Made here, they belong to the service even if root runs `kiosk` first.
    put_secret "$DATA_DIR/secret_key" 'import secrets; print(secrets.token_urlsafe(48))'
    put_secret "$DATA_DIR/keys/fields.key" \
        'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'
    put_secret "$DATA_DIR/admin.token" 'import secrets; print(secrets.token_urlsafe(32))'
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

# is_enabled UNIT / is_active UNIT
is_enabled() { [ "$(systemctl is-enabled "$1" 2>/dev/null)" = enabled ]; }
is_active() { systemctl is-active --quiet "$1" 2>/dev/null; }

start_services() {
    if [ "$LIVE" = 0 ]; then
        install_speech_models
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
    if [ "$APP_CHANGED" = 1 ] || [ "$UNITS_CHANGED" = 1 ] || ! is_active kiosk-web.service; then
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
    install_packages
    check_python
    render_files
    create_users
    CHANGED=0
    install_app
    install_config
    install_data
    APP_CHANGED=$CHANGED
    install_system_files
    start_services
    say ""
    if [ "$DRY_RUN" = 1 ]; then
        say "Dry run: nothing was changed."
    elif [ "$LIVE" = 1 ]; then
        say "Done. Check the unit:"
        say "  systemctl status kiosk-web kiosk-browser"
        say "  curl $KIOSK_URL/healthz"
        say "  sudo -u $KIOSK_USER kiosk devices"
        say "  sudo -u $KIOSK_USER kiosk devices test"
    else
        say "Done: files laid out under $R."
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
    fi
    CHANGED=0
    for unit in $UNITS; do
        remove "$UNIT_DIR/$unit"
    done
    UNITS_CHANGED=$CHANGED
    CHANGED=0
    remove "$UDEV_RULES"
    UDEV_CHANGED=$CHANGED
    remove "$POLICY" "$PAM_FILE" "$KIOSK_LINK" "$OPT_DIR"
    if [ "$PURGE" = 1 ]; then
        remove "$ETC_DIR" "$DATA_DIR"
    fi
    if [ "$LIVE" = 1 ]; then
        if [ "$UNITS_CHANGED" = 1 ]; then
            act systemctl daemon-reload
        fi
        if [ "$UDEV_CHANGED" = 1 ]; then
            act udevadm control --reload
        fi
        if [ "$PURGE" = 1 ]; then
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
            /usr/local/bin /usr/local /usr /opt /var/lib /var /etc
    fi
    say ""
    if [ "$PURGE" = 0 ]; then
        say "Kept: $ETC_DIR (configuration), $DATA_DIR (database and keys) and the users"
        say "$KIOSK_USER and $BROWSER_USER. 'install.sh --uninstall --purge' deletes them too."
    fi
    say "System packages stay installed (other software may use them); pcscd stays enabled."
    if [ "$DRY_RUN" = 1 ]; then
        say "Dry run: nothing was changed."
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
            --root | --prefix | --wheel | --video-server)
                [ $# -ge 2 ] || die "$1 needs a value"
                case $1 in
                    --root | --prefix) root=$2 ;;
                    --wheel) WHEEL=$2 ;;
                    --video-server) VIDEO_SERVERS="$VIDEO_SERVERS $2" ;;
                esac
                shift
                ;;
            --root=* | --prefix=*) root=${1#*=} ;;
            --wheel=*) WHEEL=${1#*=} ;;
            --video-server=*) VIDEO_SERVERS="$VIDEO_SERVERS ${1#*=}" ;;
            -h | --help)
                usage "$0"
                exit 0
                ;;
            *) die "unknown option $1 (see --help)" ;;
        esac
        shift
    done
    if [ "$PURGE" = 1 ] && [ "$ACTION" != uninstall ]; then
        die "--purge goes with --uninstall"
    fi

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
