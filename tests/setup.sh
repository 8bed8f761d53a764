#!/usr/bin/env bash
# Installs what `make test` needs, idempotently and without prompts:
#   pip: moto[server] (AWS adapter tests), cfn-lint (template.yaml), fonttools (generator check),
#        schemathesis (tests/schemathesis.sh: the local server against its /openapi.json)
#   rustup components: rustfmt, clippy (already on the machine's toolchain; checked)
#   cargo-fuzz (make fuzz, make fuzz-smoke), from crates.io with its lock file, if missing
#   apt: poppler-utils (pdftoppm, pdftotext, pdffonts) and ghostscript (gs), the PDF and
#        EPS rasterisers of shared/tests/decode_formats.rs and tests/labels_api.rs
set -euo pipefail
py_need=()
python3 -c 'import moto.server, flask' 2>/dev/null || py_need+=("moto[server]")
python3 -c 'import cfnlint' 2>/dev/null || py_need+=("cfn-lint")
# fontTools: only for checking that the OCR-B outline tables regenerate unchanged.
python3 -c 'import fontTools' 2>/dev/null || py_need+=("fonttools")
python3 -c 'import schemathesis' 2>/dev/null || py_need+=("schemathesis")
if [ ${#py_need[@]} -gt 0 ]; then
  echo "setup: pip install ${py_need[*]}"
  python3 -m pip install -q --disable-pip-version-check "${py_need[@]}"
fi
for c in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
done
cargo fuzz --version >/dev/null 2>&1 || { echo "setup: cargo install cargo-fuzz"; cargo install --locked cargo-fuzz; }
command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl; }
apt_need=()
command -v pdftoppm >/dev/null || apt_need+=("poppler-utils")
command -v gs >/dev/null || apt_need+=("ghostscript")
if [ ${#apt_need[@]} -gt 0 ]; then
  echo "setup: apt-get install ${apt_need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_need[@]}"
fi
echo "setup: ok"
