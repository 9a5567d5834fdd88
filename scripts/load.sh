#!/usr/bin/env bash
# Load over mutual TLS (docs/STACK.md): WSGetDiversifiedKeys (durable audit) against the baseline POST /soap/v1/echo on the
# same port, in alternating phases, with tests/Ttp.LoadGenerator.
#
# Builds Release; bootstraps a throw-away installation with ttpctl in a temp directory (database, two Operators, a
# TSM with a fresh client certificate, added and approved, an AES-256 KEK, an SCP03/KDF3 issuer key set, activated);
# then starts the portal on free loopback ports (rate limit raised, baseline endpoint on), runs the load generator,
# stops the portal and prints the figures. Exit status: the load generator's (non-zero when any request failed).
#
# Usage: scripts/load.sh [--connections N] [--warmup-seconds S] [--phases N] [--phase-seconds S] [any ttp-loadgen option]
# Environment: KEEP=1 keeps the temp directory (config, database, portal.log); NO_BUILD=1 skips the build;
# SEED_TSMS=N, SEED_KEY_SETS=N and SEED_RECORDS=N fill the installation before the portal starts (tests/Ttp.Benchmarks:
# `directory` registers N more TSMs with a KEK each and N more issuer key sets; `seed` appends N key-request records),
# to compare a large installation with the empty one (docs/PERFORMANCE.md); any
# Ttp__.../Kestrel__... variable set by the caller reaches the portal (e.g. Ttp__Audit__BatchMaxDelayMs=5).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
config=Release
bin="bin/$config/net10.0"

echo "== build ($config)" >&2
projects=(src/Ttp.Cli src/Ttp.Portal tests/Ttp.LoadGenerator)
[[ -n "${SEED_TSMS:-}${SEED_KEY_SETS:-}${SEED_RECORDS:-}" ]] && projects+=(tests/Ttp.Benchmarks)
for project in "${projects[@]}"; do
  [[ "${NO_BUILD:-0}" == 1 ]] && break
  dotnet build "$root/$project" -c "$config" -v quiet -nologo >/dev/null || { echo "load.sh: build of $project failed" >&2; exit 1; }
done
ttpctl_dll="$root/src/Ttp.Cli/$bin/ttpctl.dll"
portal_dll="$root/src/Ttp.Portal/$bin/Ttp.Portal.dll"
loadgen_dll="$root/tests/Ttp.LoadGenerator/$bin/ttp-loadgen.dll"
bench_dll="$root/tests/Ttp.Benchmarks/$bin/Ttp.Benchmarks.dll"

work=$(mktemp -d -t ttp-load.XXXXXX)
portal_pid=
cleanup() {
  if [[ -n "$portal_pid" ]] && kill -0 "$portal_pid" 2>/dev/null; then
    kill "$portal_pid" 2>/dev/null || true
    wait "$portal_pid" 2>/dev/null || true
  fi
  if [[ "${KEEP:-0}" == 1 ]]; then echo "load.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The installation: everything through the environment (the portal and ttpctl read appsettings.json, then these).
source "$root/scripts/lib/throwaway-installation.sh"
throwaway_installation "$work"
export Ttp__Soap__RateLimit__PermitsPerSecond=1000000
export Ttp__Soap__RateLimit__Burst=1000000
export Ttp__Soap__EnableBaselineEndpoint=true
cd "$work"

ttpctl() { dotnet "$ttpctl_dll" "$@" >>"$work/ttpctl.log" || { echo "load.sh: ttpctl $1 $2 failed (exit $?); see below" >&2; tail -5 "$work/ttpctl.log" >&2; exit 1; }; }

echo "== bootstrap in $work" >&2
ttpctl init
echo 'Correct-Horse-Battery-9' | ttpctl user add --email ops1@ttp.example --role Operator --password-stdin
echo 'Correct-Horse-Battery-9' | ttpctl user add --email ops2@ttp.example --role Operator --password-stdin

# The TSM's client certificate: a PEM for `tsm add`, a PKCS#12 for the load generator.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=load-tsm" \
  -addext "extendedKeyUsage=clientAuth" -addext "keyUsage=digitalSignature" \
  -keyout "$work/tsm.key" -out "$work/tsm.pem" 2>/dev/null
openssl pkcs12 -export -inkey "$work/tsm.key" -in "$work/tsm.pem" -out "$work/tsm.pfx" -passout pass:load

iin=000001
ttpctl tsm add --name load-tsm --organisation Load --certificate "$work/tsm.pem" --issuer "$iin"
echo 'Correct-Horse-Battery-9' | ttpctl tsm approve --name load-tsm --approver ops2@ttp.example --password-stdin
# AES-256 KEK, two components (test values, not secrets), on standard input: never on a command line.
ttpctl kek import --tsm load-tsm --index 1 --algorithm aes256 --components-stdin <<'EOF'
00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF
0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0
EOF
# SCP03 / KDF3 issuer master key 404142434445464748494A4B4C4D4E4F (GlobalPlatform test key) as two components.
ttpctl issuer-key import --iin "$iin" --kvn 1 --scheme scp03 --method kdf3 --components-stdin <<'EOF'
0123456789ABCDEFFEDCBA9876543210
41620724CDEE8BA8B695F0D33A197C5F
EOF
ttpctl issuer-key activate --iin "$iin" --kvn 1

if [[ -n "${SEED_TSMS:-}${SEED_KEY_SETS:-}" ]]; then
  echo "== seeding the directory: ${SEED_TSMS:-0} TSMs, ${SEED_KEY_SETS:-0} issuer key sets" >&2
  dotnet "$bench_dll" directory --data "$work/data" --tsms "${SEED_TSMS:-0}" --key-sets "${SEED_KEY_SETS:-0}" \
    --operator ops1@ttp.example --approver ops2@ttp.example | tail -2 >&2
fi
if [[ -n "${SEED_RECORDS:-}" ]]; then
  echo "== seeding the audit trail: $SEED_RECORDS key-request records" >&2
  dotnet "$bench_dll" seed --records "$SEED_RECORDS" --data "$work/data" | grep -E "^seeded|^verify" >&2
fi

# The portal starts after the bootstrap, so the TSM's certificate is pinned from its first load.
echo "== portal on 127.0.0.1:$portal_port (portal), 127.0.0.1:$soap_port (SOAP)" >&2
dotnet "$portal_dll" >"$work/portal.log" 2>&1 &
portal_pid=$!
for _ in $(seq 1 150); do
  if curl -sk -o /dev/null "https://127.0.0.1:$portal_port/"; then break; fi
  if ! kill -0 "$portal_pid" 2>/dev/null; then echo "load.sh: the portal exited; its log:" >&2; cat "$work/portal.log" >&2; exit 1; fi
  sleep 0.2
done
fingerprint=$( (openssl s_client -connect "127.0.0.1:$soap_port" -servername 127.0.0.1 </dev/null 2>/dev/null || true) \
  | openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//; s/://g') || true
[[ ${#fingerprint} == 64 ]] || { echo "load.sh: could not read the server certificate's fingerprint" >&2; exit 1; }

echo "== load (server certificate SHA-256 $fingerprint)" >&2
status=0
dotnet "$loadgen_dll" --url "https://127.0.0.1:$soap_port" --server-sha256 "$fingerprint" \
  --pfx "$work/tsm.pfx" --pfx-password load \
  --kdd 00010203040506070809 --e0 E012C00401018810C00402018810C00403018810 --iin "$iin" --kvn 1 --kek-index 1 \
  --connections 16 --warmup-seconds 5 --phases 3 --phase-seconds 5 "$@" || status=$?

kill "$portal_pid" 2>/dev/null || true
wait "$portal_pid" 2>/dev/null || true
portal_pid=
if grep -qiE "fail|error|crit" "$work/portal.log"; then
  echo "== portal log (warnings and errors)" >&2
  grep -iE "fail|error|crit|warn" "$work/portal.log" | head -20 >&2
fi
exit "$status"
