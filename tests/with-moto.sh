#!/usr/bin/env bash
# Runs a command against a throwaway moto server (local AWS mock).
#
#   tests/with-moto.sh cargo test -p shared --features local,aws --test store_aws
#
# Starts moto server (`python -m moto.server`, moto >= 5.2.5, see below) on a free
# loopback port, exports AWS_ENDPOINT_URL and static test credentials for the
# command, and always stops moto afterwards.
# Exits with the command's exit code.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

# moto 5.2.1 answers CompleteMultipartUpload with a <CompleteMultipartUploadResponse>
# root, which the Rust SDK rejects (getmoto/moto#10055); 5.2.5 is the first release
# seen to answer <CompleteMultipartUploadResult>, as S3 does.
moto_min="5.2.5"
# Whether python $1 has moto[server] >= moto_min.
moto_ok() {
    "$1" - "$moto_min" >/dev/null 2>&1 <<'PY'
import re, sys
import flask, moto.server
from importlib.metadata import version
def key(v):
    return tuple(int(x) for x in re.match(r"(\d+)\.(\d+)\.(\d+)", v).groups())
sys.exit(0 if key(version("moto")) >= key(sys.argv[1]) else 1)
PY
}
# `python -m moto.server`, not the `moto_server` script: a pip install does not
# always refresh pyenv's shims, the module is found wherever pip put it. An older
# moto on the machine is left alone (other runs may be using it): a recent one
# goes into a venv of its own.
python="python3"
if ! moto_ok python3; then
    venv="${MOTO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/gs1codes/moto-venv}"
    if ! moto_ok "$venv/bin/python3"; then
        echo "with-moto: installing moto[server]>=$moto_min into $venv" >&2
        python3 -m venv "$venv"
        "$venv/bin/python3" -m pip install -q "moto[server]>=$moto_min"
    fi
    python="$venv/bin/python3"
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

# moto's own server is threaded, and its DynamoDB checks a condition and writes in two
# steps without a lock: two concurrent conditional updates can both pass, which real
# DynamoDB never allows. One request at a time makes each conditional write atomic, as
# DynamoDB's are (our tests send no long-polling calls that could hold it up).
"$python" - "$port" >"$log" 2>&1 <<'PY' &
import os, sys
from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
os.environ.setdefault("MOTO_PORT", sys.argv[1])
run_simple("127.0.0.1", int(sys.argv[1]), DomainDispatcherApplication(create_backend_app),
           threaded=False, request_handler=MotoRequestHandler)
PY
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
