#!/usr/bin/env bash
# Runs a command against a throwaway moto server (local AWS mock).
#
#   tests/with-moto.sh cargo test -p shared --features local,aws --test store_aws
#
# Starts moto server (`python3 -m moto.server`) on a free loopback port, exports AWS_ENDPOINT_URL and
# static test credentials for the command, and always stops moto afterwards.
# Exits with the command's exit code.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

# `python3 -m moto.server`, not the `moto_server` script: a pip install does not
# always refresh pyenv's shims, the module is found wherever pip put it.
if ! python3 -c 'import moto.server, flask' >/dev/null 2>&1; then
    echo "with-moto: installing moto[server]" >&2
    python3 -m pip install -q 'moto[server]'
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
log="$(mktemp "${TMPDIR:-/tmp}/moto.XXXXXX.log")"

moto_pid=""
stop_moto() {
    if [ -n "$moto_pid" ]; then
        kill "$moto_pid" 2>/dev/null || true
        wait "$moto_pid" 2>/dev/null || true
    fi
    rm -f "$log"
}
trap stop_moto EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

python3 -m moto.server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto_pid=$!

endpoint="http://127.0.0.1:$port"
answers() {
    if command -v curl >/dev/null 2>&1; then
        curl -s -o /dev/null --max-time 1 "$endpoint/"
    else
        python3 -c 'import sys, urllib.request as u
try:
    u.urlopen(sys.argv[1], timeout=1)
except u.HTTPError:
    pass' "$endpoint/" 2>/dev/null
    fi
}
ready=""
for _ in $(seq 1 100); do # 100 x 0.2 s = 20 s
    if answers; then
        ready=1
        break
    fi
    if ! kill -0 "$moto_pid" 2>/dev/null; then
        break
    fi
    sleep 0.2
done
if [ -z "$ready" ]; then
    echo "with-moto: moto_server did not answer on $endpoint within 20 s:" >&2
    cat "$log" >&2
    exit 1
fi

export AWS_ENDPOINT_URL="$endpoint"
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE

set +e
"$@"
rc=$?
set -e
exit "$rc"
