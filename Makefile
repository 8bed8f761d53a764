# gs1-codes: `make run` serves the whole API locally; `make test` installs what the
# tests need and runs every check CI runs. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
# The local server builds with the `local` profile (release speed, panics unwind: see
# Cargo.toml); `release` is the Lambdas' profile. GS1_CODES_BIN names a binary to run
# instead, unbuilt: `make test` runs the README's commands on the one its tests built
# (target/debug), so CI's two cores do not compile every crate a second time, optimised.
ifeq ($(GS1_CODES_BIN),)
LOCAL_BIN := $(TARGET_DIR)/local/gs1-codes
BUILD_LOCAL := $(CARGO) build --profile local -p gs1-local --bin gs1-codes
else
LOCAL_BIN := $(GS1_CODES_BIN)
BUILD_LOCAL := true
endif
SHARED_DIR ?= ../shared
# pip installs console scripts next to the interpreter, whatever PATH says (pyenv shims may lag).
PY_BIN := $(shell python3 -c "import os,sys; print(os.path.dirname(sys.executable))")
export PORT ?= 3000
export DATA_DIR ?= $(CURDIR)/.data

.PHONY: run key seed test setup lint lint-core unit fuzz fuzz-smoke smoke schemathesis generate check-generated bench load lambda build-lambdas

## run: build and start the local API on http://127.0.0.1:$(PORT), data in $(DATA_DIR)
run:
	$(BUILD_LOCAL)
	exec $(LOCAL_BIN) serve

## key: print a new API key for the local store (stdout: the key only); TIER=unlimited (or
## TIER="1000;w=60, 50000;w=86400") sets its rate-limit tier
key:
	@$(BUILD_LOCAL) -q >&2
	@$(LOCAL_BIN) key create --tier "$(or $(TIER),default)"

## seed: import demo products (infra/local/seed/products.csv) into $(DATA_DIR), for scan matching
seed:
	@$(BUILD_LOCAL) -q >&2
	@$(LOCAL_BIN) import-products infra/local/seed/products.csv

## test: install test tools (idempotent), then format, lint, generated-code, unit, AWS-adapter and HTTP
## tests, a few seconds of each fuzz target, the README's quick start, and schemathesis against the
## OpenAPI document
test: setup lint check-generated unit fuzz-smoke smoke schemathesis

setup:
	@bash tests/setup.sh

## lint: format, clippy, docs, cfn-lint, and proof that the core (gs1, symbol, render) is pure
lint: lint-core
	$(CARGO) fmt --all -- --check
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml -- --check
	$(CARGO) clippy --workspace --all-targets --all-features -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps --all-features -q
	"$(PY_BIN)/cfn-lint" template.yaml

## lint-core: the core builds without features, and nothing async, AWS or HTTP is in its tree
lint-core:
	$(CARGO) check -q -p shared --no-default-features
	@impure=$$($(CARGO) tree -q -p shared --no-default-features -e normal --prefix none \
	  | { grep -E '^(tokio|hyper|axum|tower|lambda_|aws-|aws_|http |reqwest|rusqlite) ' || true; } | sort -u); \
	if [ -n "$$impure" ]; then echo "the core depends on: $$impure" >&2; exit 1; fi; \
	echo "lint-core: shared without features depends on nothing async, AWS or HTTP"

## check-generated: regenerating from ../shared must change nothing, and the embedded font is its copy (skipped in a clone without it)
check-generated:
	@if [ -d "$(SHARED_DIR)/gs1" ]; then \
	  python3 shared/gen/gen_ai_table.py "$(SHARED_DIR)/gs1/gs1-syntax-dictionary.txt" --check; \
	  python3 shared/gen/gen_ocrb.py --font "$(SHARED_DIR)/fonts/OCRB.otf" --check; \
	  cmp -s shared/fonts/OCRB.otf "$(SHARED_DIR)/fonts/OCRB.otf" || \
	    { echo "shared/fonts/OCRB.otf (embedded in label sheets) differs from $(SHARED_DIR)/fonts/OCRB.otf" >&2; exit 1; }; \
	else echo "check-generated: $(SHARED_DIR) not found, generated code taken as committed"; fi

## generate: rerun the generators by hand after ../shared changes
generate:
	python3 shared/gen/gen_ai_table.py "$(SHARED_DIR)/gs1/gs1-syntax-dictionary.txt"
	python3 shared/gen/gen_ocrb.py --font "$(SHARED_DIR)/fonts/OCRB.otf"
	cp "$(SHARED_DIR)/fonts/OCRB.otf" "$(SHARED_DIR)/fonts/OCRB.copyright" shared/fonts/

unit:
	bash tests/with-moto.sh $(CARGO) test --workspace --all-features

## fuzz: every cargo-fuzz target (fuzz/fuzz_targets/) for FUZZ_SECONDS each, in turn, with its seeds
## and growing corpus; prints seconds clean and executions per target (README, "Fuzzing")
FUZZ_SECONDS ?= 60
fuzz:
	CARGO="$(CARGO)" bash fuzz/run.sh $(FUZZ_SECONDS)

## fuzz-smoke: the same, FUZZ_SMOKE_SECONDS (5) per target: the seeds and a little more, for make test
FUZZ_SMOKE_SECONDS ?= 5
fuzz-smoke:
	CARGO="$(CARGO)" bash fuzz/run.sh $(FUZZ_SMOKE_SECONDS)

## smoke: the README's quick start, run as written against a fresh local server
smoke:
	bash tests/smoke.sh

## schemathesis: generated requests to every operation of /openapi.json: no 5xx, every answer in its schema
schemathesis:
	bash tests/schemathesis.sh

## bench: our symbols/s next to Zint's and bwip-js's (same run, equal pixel size; BENCH_MIN_S=2 steadier,
## BENCH_FULL=1 all reference cases), `gs1-codes batch` next to `zint --batch` (5000 symbols per case),
## then criterion (`cargo bench -p shared`)
bench:
	SHARED_DIR="$(SHARED_DIR)" bash infra/bench/compare.sh

## load: wrk against the local server, 60 s at 64 connections per endpoint (LOAD_S, LOAD_C): /health,
## 1D, DataMatrix, QR and Digital Link side by side; requests/s and p99, fails on any error
load:
	bash infra/bench/load.sh

## lambda: every function's arm64 bootstrap and its zip under $(TARGET_DIR)/lambda/<name>/
## (cargo-lambda and zig from PyPI, installed here if missing)
LAMBDA_BINS := $(foreach f,$(notdir $(wildcard functions/*)),--bin $(f))
lambda:
	@command -v cargo-lambda >/dev/null && python3 -c 'import ziglang' 2>/dev/null || \
	  python3 -m pip install -q --disable-pip-version-check cargo-lambda ziglang
	PATH="$(PY_BIN):$$PATH" cargo lambda build --release --arm64 --output-format zip $(LAMBDA_BINS)
	@for z in $(TARGET_DIR)/lambda/*/bootstrap.zip; do \
	  printf '%-12s %8d bytes\n' "$$(basename $$(dirname $$z))" "$$(stat -c %s $$z)"; done

build-lambdas: lambda
