#!/usr/bin/env python3
"""Measures each Lambda bootstrap's init time and first invocation locally.

    tests/with-moto.sh python3 infra/lambda/init_time.py target/release [runs]

Plays the Lambda Runtime API (the few routes a bootstrap calls) on a loopback port,
with the tables, bucket and queue of template.yaml created in the moto server that
tests/with-moto.sh started (AWS_ENDPOINT_URL). For each function it starts the
bootstrap `runs` times (default 5) and reports the median of:

  init   from spawning the process to its first `GET .../invocation/next`: what
         Lambda reports as Init Duration (the SDK config, and the secrets read from
         DynamoDB, here moto on loopback);
  first  from handing it its first event (events/<file>.json) to its response.

The binaries are those of `cargo build --release` for this machine: the same
profile as `make lambda`'s arm64 build, which cannot run here. Standard library and
boto3 (installed with moto) only.
"""

import http.server
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
STAGE = "init"
TABLES = {
    "API_KEYS_TABLE": ("key_hash", None),
    "SECRETS_TABLE": ("name", None),
    "TASKS_TABLE": ("task_id", None),
    "SESSIONS_TABLE": ("public_id", None),
    "CAPTURES_TABLE": ("public_id", ("by_session", "session_public_id")),
    "PRODUCTS_TABLE": ("gtin", None),
}
# function -> the event of its first invocation
FUNCTIONS = {
    "digital-link": "digital-link-post.json",
    "barcode": "barcode-post.json",
    "datamatrix": "datamatrix-post.json",
    "qr": "qr-post.json",
    "qr-bulk": "qr-bulk-status-get.json",
    "captures": "captures-product-get.json",
    "qr-bundler": "qr-bundler-job.json",
}


def aws_resources():
    """Creates what template.yaml would, in moto; returns the function environment."""
    env = {}
    region = os.environ.get("AWS_REGION", "us-east-1")
    ddb = boto3.client("dynamodb", region_name=region)
    for var, (key, index) in TABLES.items():
        name = f"gs1codes-{STAGE}-{var.lower().replace('_table', '')}"
        attrs = [{"AttributeName": key, "AttributeType": "S"}]
        extra = {}
        if index:
            attrs.append({"AttributeName": index[1], "AttributeType": "S"})
            extra["GlobalSecondaryIndexes"] = [{
                "IndexName": index[0],
                "KeySchema": [{"AttributeName": index[1], "KeyType": "HASH"},
                              {"AttributeName": key, "KeyType": "RANGE"}],
                "Projection": {"ProjectionType": "ALL"},
            }]
        try:
            ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=attrs,
                             KeySchema=[{"AttributeName": key, "KeyType": "HASH"}], **extra)
        except ddb.exceptions.ResourceInUseException:
            pass
        env[var] = name
    bucket = f"gs1codes-{STAGE}-bundles"
    boto3.client("s3", region_name=region).create_bucket(Bucket=bucket)
    env["BUNDLE_BUCKET"] = bucket
    env["BUNDLE_QUEUE_URL"] = boto3.client("sqs", region_name=region).create_queue(
        QueueName=f"gs1codes-{STAGE}-jobs")["QueueUrl"]
    return env


class RuntimeApi(http.server.BaseHTTPRequestHandler):
    """GET next hands out `event` once (then blocks until shut down); POST response
    and error record the end."""

    server_version = "runtime-api"
    state = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        st = RuntimeApi.state
        if not self.path.endswith("/invocation/next"):
            self.send_error(404)
            return
        now = time.monotonic()
        if st["next_at"] is None:
            st["next_at"] = now
        else:
            # The second poll: hold it, unanswered, until the process is stopped.
            st["done"].wait(60)
            st["stopped"].wait(60)
            return
        body = st["event"]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Lambda-Runtime-Aws-Request-Id", "req-1")
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn",
                         "arn:aws:lambda:us-east-1:123456789012:function:f")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        st = RuntimeApi.state
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length)
        st["answer_at"] = time.monotonic()
        st["answer"] = (self.path.rsplit("/", 1)[-1], payload)
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()
        st["done"].set()


def run_once(binary, event, env):
    state = {"event": event, "next_at": None, "answer_at": None, "answer": None,
             "done": threading.Event(), "stopped": threading.Event()}
    RuntimeApi.state = state
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RuntimeApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(env, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{server.server_address[1]}")
    start = time.monotonic()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    ok = state["done"].wait(60)
    proc.kill()
    _, err = proc.communicate()
    state["stopped"].set()
    server.shutdown()
    if not ok or state["next_at"] is None:
        raise SystemExit(f"{binary}: no answer\n{err.decode(errors='replace')[:3000]}")
    kind, payload = state["answer"]
    if kind != "response":
        raise SystemExit(f"{binary}: {kind}: {payload[:300]!r}")
    answer = json.loads(payload)
    return ((state["next_at"] - start) * 1000, (state["answer_at"] - state["next_at"]) * 1000,
            answer.get("statusCode"))


def main():
    bin_dir = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "target" / "release")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    env = dict(os.environ)
    env.update(aws_resources())
    env.update({
        "AWS_LAMBDA_FUNCTION_NAME": "f", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_LOG_STREAM_NAME": "s",
        "AWS_LAMBDA_LOG_GROUP_NAME": "g", "RUST_LOG": "warn",
    })
    print(f"{'function':<14}{'size':>10}{'init ms':>10}{'first ms':>10}  status")
    for name, event_file in FUNCTIONS.items():
        binary = bin_dir / name
        event = (EVENTS / event_file).read_bytes()
        if name == "qr-bundler":
            # An unknown task: the bundler reads it, finds nothing, and answers.
            event = event.replace(b"REPLACED-BY-THE-TASK-ID", b"00000000-0000-4000-8000-00000000ffff")
        results, failures = [], 0
        while len(results) < runs:
            try:
                results.append(run_once(str(binary), event, env))
            except SystemExit as e:
                # Rarely the first poll's connection drops before the event is written;
                # run again (a real failure fails every time and is shown).
                failures += 1
                if failures > runs:
                    raise
                print(f"{name}: run again ({str(e).splitlines()[0]})", file=sys.stderr)
        init = statistics.median(r[0] for r in results)
        first = statistics.median(r[1] for r in results)
        status = results[-1][2] if results[-1][2] is not None else "ok"
        print(f"{name:<14}{binary.stat().st_size:>10}{init:>10.1f}{first:>10.1f}  {status}")


if __name__ == "__main__":
    main()
