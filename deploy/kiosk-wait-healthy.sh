#!/bin/sh
# kiosk-wait-healthy [URL] [SECONDS]
# Waits until URL (default http://127.0.0.1:8000/healthz) answers 200, at most SECONDS (default
# 90). kiosk-browser.service runs it before the screen starts, so the browser does not open on
# an error page while the kiosk is still starting; when the wait ends without an answer, the
# exit status is 1 and systemd starts the screen again a moment later.
# Installed by deploy/install.sh as /opt/kiosk/bin/kiosk-wait-healthy.
set -eu

url=${1:-http://127.0.0.1:8000/healthz}
seconds=${2:-90}
case $seconds in
    '' | *[!0-9]*)
        echo "kiosk-wait-healthy: SECONDS must be a whole number, not '$seconds'" >&2
        exit 2
        ;;
esac

deadline=$(($(date +%s) + seconds))
until curl --silent --fail --max-time 2 --output /dev/null "$url"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "kiosk-wait-healthy: no healthy answer from $url after ${seconds}s" >&2
        exit 1
    fi
    sleep 1
done
echo "kiosk-wait-healthy: $url answers"
