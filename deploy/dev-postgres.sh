#!/bin/sh
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 for the storage tests; start the
# Debian cluster if it is down. Used by `make test` and .ci/run.
set -eu

if pg_isready -q -h 127.0.0.1 -p 5432; then
    exit 0
fi
echo "PostgreSQL is not answering on 127.0.0.1:5432; starting it"
version=""
for dir in /etc/postgresql/*/; do
    [ -d "$dir" ] && version=$(basename "$dir")  # the glob sorts: the newest comes last
done
if [ -z "$version" ]; then
    echo "no PostgreSQL cluster found in /etc/postgresql" >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
else
    sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
    sleep 1
done
echo "PostgreSQL did not start" >&2
exit 1
