#!/usr/bin/env bash
# The project's test command: starts the local servers, runs every test project in the solution,
# then counts the real results from the TRX files. The last line is always
#   tests: <passed> passed, <failed> failed
# Exits non-zero when a test failed, when dotnet test failed (build error, crash, hang), when no
# test ran at all, when the container files fail their checks (deploy/check-containers.sh), or when the
# OpenAPI documents the services serve fail their lint (deploy/check-openapi.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

solution=${SYNCHROMESH_SOLUTION:-SynchroMesh.sln}
results=TestResults/run
# A test that hangs is killed after this long (and reported) instead of stalling CI forever.
hang_timeout=${SYNCHROMESH_TEST_HANG_TIMEOUT:-15m}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# One run at a time on a machine: every run shares the one PostgreSQL, RabbitMQ and cluster, whose nodes the
# fault specs kill and cut, so a second run started meanwhile waits for the first to end instead of breaking it.
lock_file=${SYNCHROMESH_TEST_LOCK:-/tmp/synchromesh-tests.lock}
lock_wait=${SYNCHROMESH_TEST_LOCK_WAIT:-2700}
if ! exec 9>>"$lock_file"; then
    echo "test: cannot open the lock file $lock_file (set SYNCHROMESH_TEST_LOCK to a writable path); nothing was run"
    echo "tests: 0 passed, 0 failed"
    exit 1
fi
if ! flock -n 9; then
    echo "test: another test run holds $lock_file; waiting up to ${lock_wait}s for it to end"
    if ! flock -w "$lock_wait" 9; then
        echo "test: the other test run did not end within ${lock_wait}s; nothing was run"
        echo "tests: 0 passed, 0 failed"
        exit 1
    fi
fi
# Whatever outlives this script (the servers it starts, build servers) gets no copy of the lock: "9>&-" below.

bash deploy/servers.sh start 9>&-
# The three-node RabbitMQ cluster beside the single node, for the specs that run on a cluster and break it.
bash deploy/servers.sh start-cluster 9>&-

# The browser the console specs drive (unless SYNCHROMESH_CHROMIUM names another); without it they fail naming the
# missing executable, and the rest still run.
if [[ -z ${SYNCHROMESH_CHROMIUM:-} ]]; then
    bash deploy/servers.sh install-browser 9>&- || echo "test: Debian's chromium could not be installed; the console specs will fail"
fi

# The container files, checked without an engine; its verdict is repeated above the last line.
containers_status=0
bash deploy/check-containers.sh 9>&- || containers_status=$?

rm -rf "$results"
mkdir -p "$results"
# The whole log of every service process a spec starts, one folder per spec's system, kept with the results.
export SYNCHROMESH_SERVICE_LOG_DIR=${SYNCHROMESH_SERVICE_LOG_DIR:-$PWD/$results/service-logs}
# Where the OpenAPI spec saves the documents the services serve, for check-openapi.sh after the run.
export SYNCHROMESH_OPENAPI_DIR=$PWD/$results/openapi

dotnet_status=0
# -m:1 runs the test projects one after another: the fault specs kill and restart the servers that the
# other projects' specs use.
dotnet test "$solution" -c Release -m:1 --logger trx --results-directory "$results" \
    --blame-hang-timeout "$hang_timeout" --blame-hang-dump-type none 9>&- ||
    dotnet_status=$?

openapi_status=0
bash deploy/check-openapi.sh "$SYNCHROMESH_OPENAPI_DIR" 9>&- || openapi_status=$?

if [[ -n ${CI:-} ]]; then
    # MSBuild nodes and the compiler server outlive the build and would keep CI's output pipe open.
    dotnet build-server shutdown >/dev/null 2>&1 9>&- || true
fi

mapfile -t trx_files < <(find "$results" -name '*.trx' -type f | sort)

# One record per <UnitTestResult ...> element. Data-driven parents (MSTest) are skipped: their
# rows are counted as the inner results. NotExecuted is a skipped test, anything else but Passed
# is a failure (Failed, Error, Timeout, Aborted, Inconclusive, ...).
count_results() {
    awk '
        function attr(s, name) {
            if (match(s, "[ \t\r\n]" name "=\"[^\"]*\""))
                return substr(s, RSTART + length(name) + 3, RLENGTH - length(name) - 4)
            return ""
        }
        function unescape(s) {
            gsub(/&#xD;/, "", s); gsub(/&#xA;/, "\n", s)
            gsub(/&quot;/, "\"", s); gsub(/&apos;/, "'\''", s)
            gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s)
            return s
        }
        BEGIN { RS = "<UnitTestResult[ \t\r\n]"; passed = failed = skipped = 0 }
        FNR == 1 { next }
        {
            element = " " $0
            sub(/>.*/, "", element)
            if (attr(element, "resultType") == "DataDrivenTest") next
            outcome = attr(element, "outcome")
            if (outcome == "Passed") passed++
            else if (outcome == "NotExecuted") skipped++
            else {
                failed++
                print "failed (" outcome "): " unescape(attr(element, "testName"))
                # The first lines of its message, so that a failure reads from the log alone.
                if (match($0, /<Message>[^<]*<\/Message>/)) {
                    n = split(unescape(substr($0, RSTART + 9, RLENGTH - 19)), lines, "\n")
                    for (i = 1; i <= n && i <= 40; i++) print "    " lines[i]
                    if (n > 40) print "    (" n - 40 " more lines in the TRX file)"
                }
            }
        }
        END { print "#counts", passed, failed, skipped }
    ' "$@"
}

# Run-level errors (a crashed or hung test host) have no UnitTestResult of their own.
run_errors() {
    awk '
        BEGIN { RS = "<RunInfo[ \t\r\n]" }
        FNR == 1 { next }
        {
            element = $0
            sub(/>.*/, "", element)
            if (element !~ /outcome="Error"/ || !match($0, /<Text>[^<]*<\/Text>/)) next
            text = substr($0, RSTART + 6, RLENGTH - 13)
            gsub(/&quot;/, "\"", text); gsub(/&lt;/, "<", text); gsub(/&gt;/, ">", text); gsub(/&amp;/, "\\&", text)
            print "run error: " text
        }
    ' "$@"
}

passed=0 failed=0 skipped=0
if ((${#trx_files[@]} > 0)); then
    run_errors "${trx_files[@]}"
    while IFS= read -r line; do
        if [[ $line == '#counts '* ]]; then
            read -r _ passed failed skipped <<<"$line"
        else
            printf '%s\n' "$line"
        fi
    done < <(count_results "${trx_files[@]}")
fi

echo "results: ${#trx_files[@]} TRX file(s) in $results"
# What the fault lab repaired between specs (a hung cluster node restarted), so that a run shows it.
[[ ! -s $SYNCHROMESH_SERVICE_LOG_DIR/lab.log ]] || cat "$SYNCHROMESH_SERVICE_LOG_DIR/lab.log"
((skipped == 0)) || echo "skipped: $skipped"
((dotnet_status == 0)) || echo "dotnet test exited with status $dotnet_status"
((passed + failed > 0)) || echo "no test ran"
((containers_status == 0)) || echo "container checks failed (deploy/check-containers.sh, above)"
((openapi_status == 0)) || echo "OpenAPI lint failed (deploy/check-openapi.sh, above)"
echo "tests: $passed passed, $failed failed"

((failed == 0 && dotnet_status == 0 && passed > 0 && containers_status == 0 && openapi_status == 0))
