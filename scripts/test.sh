#!/usr/bin/env bash
# Runs every test of the solution on a fresh Debian machine that has only the .NET SDK.
#  - installs the Debian packages the tests need when they are missing (chromium, softhsm2, python3-zeep, python3-cryptography, openssl);
#  - starts a throw-away PostgreSQL cluster on 127.0.0.1 for the PostgreSQL tests and stops it at the end;
#  - runs `dotnet test` over Portal.sln and prints a last line "N passed, N failed";
#  - exits non-zero on any failure (a build failure counts as one, and so does a run in which no test ran).
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Tr31]
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
results="$root/TestResults"
export TTP_TEST_ARTIFACTS="$results/screenshots"
rm -rf "$results"
mkdir -p "$results"

say() { printf '[test] %s\n' "$*"; }

install_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [ -e /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
  /usr/bin/python3 -c 'import zeep' >/dev/null 2>&1 || missing+=(python3-zeep)
  /usr/bin/python3 -c 'import cryptography' >/dev/null 2>&1 || missing+=(python3-cryptography)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  say "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null 2>&1 || say "apt-get update failed; trying the install anyway"
  if ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$results/apt.log" 2>&1; then
    say "could not install ${missing[*]} (see $results/apt.log); tests that need them will fail"
  fi
}

pg_dir=""
start_postgres() {
  local pgbin
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$pgbin" ]; then
    say "PostgreSQL is not installed; PostgreSQL tests will fail"
    return 0
  fi
  pg_dir=$(mktemp -d /tmp/ttp-pg.XXXXXX)
  local port=${TTP_TEST_PG_PORT:-55432}
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$pg_dir"
    run=(runuser -u postgres --)
  fi
  if "${run[@]}" "$pgbin/initdb" -D "$pg_dir/data" -U postgres -A trust --no-sync -E UTF8 >"$results/postgres-init.log" 2>&1 &&
     "${run[@]}" "$pgbin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -t 30 \
        -o "-h 127.0.0.1 -p $port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
    export TTP_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    say "PostgreSQL started on 127.0.0.1:$port"
  else
    say "PostgreSQL did not start (see $results/postgres-init.log); PostgreSQL tests will fail"
  fi
}

stop_postgres() {
  if [ -n "$pg_dir" ] && [ -d "$pg_dir/data" ]; then
    local pgbin run=()
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    [ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
    "${run[@]}" "$pgbin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap stop_postgres EXIT

install_packages
start_postgres

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
say "building"
if ! dotnet build Portal.sln -c Release -nologo -v quiet -clp:ErrorsOnly >"$results/build.log" 2>&1; then
  cat "$results/build.log"
  echo "0 passed, 1 failed"
  exit 1
fi

say "running tests"
dotnet test Portal.sln -c Release --no-build -nologo \
  --logger "trx;LogFilePrefix=ttp" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
test_exit=$?

passed=0
failed=0
skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  a=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${n:-0}))
done

if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # dotnet test failed without a failed test in the results (a crashed test host, a missing project): count it.
  failed=1
fi
[ "$skipped" -eq 0 ] || say "$skipped tests were not executed (skipped); they are not counted as passed"
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  # A filter that matches nothing, or no results at all: a run that tested nothing is not a green run.
  say "no test ran"
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$test_exit" -eq 0 ]
