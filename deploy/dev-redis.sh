#!/bin/sh
# Make sure a Redis server answers on 127.0.0.1:6379 for the shared rate-limit tests (server
# mode keeps flask-limiter's counters there); start one that keeps nothing on disk if none
# answers. Used by `make test` and .ci/run.
set -eu

if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
    exit 0
fi
echo "Redis is not answering on 127.0.0.1:6379; starting it"
redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes
for _ in $(seq 1 30); do
    redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && exit 0
    sleep 1
done
echo "Redis did not start" >&2
exit 1
