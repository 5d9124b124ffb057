#!/usr/bin/env bash
# Runs one spec (or any dotnet test filter) N times in a row and reports how many runs passed and failed: for a
# defect that shows once in many runs. Not part of CI.
#
#   bash deploy/stress.sh --filter 'FullyQualifiedName~When_links_flap' --runs 20 --cpu-hog 1
#
#   --filter EXPR   a dotnet test filter (required)
#   --runs N        how many runs (default 10)
#   --project P     the test project (default tests/SynchroMesh.IntegrationTests)
#   --cpu-hog K     K busy loops beside the runs, competing for the CPU as another program on the machine would
#   --keep-all      keep the results of passing runs too (by default only failing runs' folders are kept)
#
# Each run's TRX and the whole log of every service process it started are in TestResults/stress/<stamp>/run-<i>.
# Exits 0 when every run passed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

filter='' runs=10 project=tests/SynchroMesh.IntegrationTests hogs=0 keep_all=false
while (($# > 0)); do
    case $1 in
        --filter) filter=${2:?--filter needs a value}; shift 2 ;;
        --runs) runs=${2:?--runs needs a value}; shift 2 ;;
        --project) project=${2:?--project needs a value}; shift 2 ;;
        --cpu-hog) hogs=${2:?--cpu-hog needs a value}; shift 2 ;;
        --keep-all) keep_all=true; shift ;;
        -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "stress: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
[[ -n $filter ]] || { echo "stress: --filter is required (see --help)" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "stress: --runs must be a positive whole number, not '$runs'" >&2; exit 2; }
[[ $hogs =~ ^[0-9]+$ ]] || { echo "stress: --cpu-hog must be a whole number, not '$hogs'" >&2; exit 2; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash deploy/servers.sh start
dotnet build "$project" -c Release -v quiet -nologo

hog_pids=()
stop_hogs() { ((${#hog_pids[@]} == 0)) || kill "${hog_pids[@]}" 2>/dev/null || true; }
trap stop_hogs EXIT
for ((h = 0; h < hogs; h++)); do
    bash -c 'while :; do :; done' &
    hog_pids+=($!)
done

out=TestResults/stress/$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$out"
passed=0 failed=0 failures=()
for ((i = 1; i <= runs; i++)); do
    dir=$out/run-$i
    started=$SECONDS
    status=0
    SYNCHROMESH_SERVICE_LOG_DIR=$PWD/$dir/service-logs \
        dotnet test "$project" -c Release --no-build --filter "$filter" --logger trx --results-directory "$dir" \
        >"$dir.out" 2>&1 || status=$?
    # A filter that matches nothing "passes" with no test run: that is a mistake, not a pass.
    if ((status == 0)) && ! grep -Eq 'Passed!|Total tests: [1-9]' "$dir.out"; then
        echo "stress: the filter matched no test:" >&2
        tail -5 "$dir.out" >&2
        exit 2
    fi
    if ((status == 0)); then
        passed=$((passed + 1))
        echo "stress: run $i/$runs passed in $((SECONDS - started)) s"
        if ! $keep_all; then rm -rf "$dir" "$dir.out"; fi
    else
        failed=$((failed + 1))
        failures+=("$dir")
        echo "stress: run $i/$runs FAILED in $((SECONDS - started)) s: $dir.out, logs in $dir/service-logs"
    fi
done

echo "stress: filter '$filter', $runs runs, cpu hogs $hogs"
for f in "${failures[@]}"; do echo "stress: failed: $f"; done
echo "stress: $passed passed, $failed failed"
((failed == 0))
