#!/usr/bin/env bash
# Lints the services' OpenAPI documents with Redocly's CLI (rules in redocly.yaml): every operation has an id, a
# summary, a 4xx answer and a declared security scheme. The documents are the ones the OpenAPI spec saved from the
# running services (SYNCHROMESH_OPENAPI_DIR, default TestResults/openapi), so what is linted is what is served.
#
#   bash deploy/check-openapi.sh [folder]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

folder=${1:-${SYNCHROMESH_OPENAPI_DIR:-TestResults/openapi}}
readonly LINT_DIR=.local/lint-openapi REDOCLY_VERSION=2.77.0

documents=("$folder/branch.json" "$folder/head-office.json")
for document in "${documents[@]}"; do
    [[ -s $document ]] || { echo "check-openapi: $document is missing: the OpenAPI spec (OperatorStatus_Specs) did not run or did not save it" >&2; exit 1; }
done

if [[ ! -x $LINT_DIR/node_modules/.bin/redocly ]]; then
    mkdir -p "$LINT_DIR"
    npm install --prefix "$LINT_DIR" --no-audit --no-fund --silent "@redocly/cli@$REDOCLY_VERSION" >/dev/null ||
        { echo "check-openapi: could not install @redocly/cli from npm" >&2; exit 1; }
fi

status=0
for document in "${documents[@]}"; do
    if output=$("$LINT_DIR/node_modules/.bin/redocly" lint --config redocly.yaml --format stylish "$document" 2>&1); then
        echo "ok    openapi: $(basename "$document") passes redocly lint"
    else
        echo "FAIL  openapi: $(basename "$document")"
        printf '%s\n' "$output" | sed 's/^/      /'
        status=1
    fi
done
exit $status
