#!/usr/bin/env bash
# The scheme end to end, unattended (README, "Walk-through"): a TTP bootstrapped with ttpctl in a temporary directory,
# the portal, two simulated cards (SCP02 EMV CPS 1.1 and SCP03 KDF3 AES-128, personalised with the static keys of
# published vectors: samples/README.md) and the reference TSM client ttp-tsm, which reads each card, gets its keys from
# the TTP over mutual TLS, opens the secure channel and rotates the card to the TSM's own key set.
# Exits 0 only when both cards were rotated (and the audit trail verifies).
#
# Usage: scripts/demo.sh
# Environment: NO_BUILD=1 skips the build (scripts/test.sh has built the solution); KEEP=1 keeps the temp directory;
# CONFIGURATION=Debug uses Debug builds (default Release).
# Needs: the .NET SDK, openssl, python3 (all on the machine that runs scripts/test.sh).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
config=${CONFIGURATION:-Release}
bin="bin/$config/net10.0"
say() { printf '== %s\n' "$*"; }

if [[ "${NO_BUILD:-0}" != 1 ]]; then
  say "build ($config)"
  for project in src/Ttp.Cli src/Ttp.Portal src/Ttp.CardSimulator src/Ttp.TsmClient; do
    dotnet build "$root/$project" -c "$config" -v quiet -nologo >/dev/null || { echo "demo.sh: build of $project failed" >&2; exit 1; }
  done
fi
ttpctl_dll="$root/src/Ttp.Cli/$bin/ttpctl.dll"
portal_dll="$root/src/Ttp.Portal/$bin/Ttp.Portal.dll"
card_dll="$root/src/Ttp.CardSimulator/$bin/Ttp.CardSimulator.dll"
tsm_dll="$root/src/Ttp.TsmClient/$bin/ttp-tsm.dll"
for dll in "$ttpctl_dll" "$portal_dll" "$card_dll" "$tsm_dll"; do
  [[ -f "$dll" ]] || { echo "demo.sh: $dll is missing (build first, or run without NO_BUILD=1)" >&2; exit 1; }
done

work=$(mktemp -d -t ttp-demo.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  if [[ "${KEEP:-0}" == 1 ]]; then echo "demo.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# One installation for the portal and ttpctl: everything through the environment, in the temp directory.
source "$root/scripts/lib/throwaway-installation.sh"
throwaway_installation "$work"
soap_url="https://127.0.0.1:$soap_port/soap/v1/KeyDistribution.svc"
mkdir -m 700 -p "$work/cards"
cd "$work"

ttpctl() {
  dotnet "$ttpctl_dll" "$@" >>"$work/ttpctl.log" 2>&1 || { local s=$?; echo "demo.sh: ttpctl $1 $2 failed (exit $s):" >&2; tail -3 "$work/ttpctl.log" >&2; exit 1; }
}
# Two components of a hex key: a random one and the key XOR it (test keys only; a ceremony does this with custodians).
components() { python3 -c 'import os,sys; k=bytes.fromhex(sys.argv[1]); r=os.urandom(len(k)); print(r.hex().upper()); print(bytes(a^b for a,b in zip(k,r)).hex().upper())' "$1"; }
json_key() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["key"])' "$1"; }

say "TTP: bootstrap with ttpctl in $work"
ttpctl init
echo 'Correct-Horse-Battery-9' | ttpctl user add --email ops1@ttp.example --role Operator --password-stdin
echo 'Correct-Horse-Battery-9' | ttpctl user add --email ops2@ttp.example --role Operator --password-stdin

say "TSM: client certificate (EC P-256, clientAuth), registered by one Operator and approved by another"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=demo-tsm" \
  -addext "extendedKeyUsage=clientAuth" -addext "keyUsage=digitalSignature" \
  -keyout "$work/tsm.key" -out "$work/tsm.pem" 2>/dev/null
ttpctl tsm add --name demo-tsm --organisation "Demo TSM" --certificate "$work/tsm.pem" --issuer 000001 --issuer 000003
echo 'Correct-Horse-Battery-9' | ttpctl tsm approve --name demo-tsm --approver ops2@ttp.example --password-stdin

say "KEK: the TSM's AES-256 key (samples/tsm/kek-aes256.json) imported as two components, index 1, TR-31"
components "$(json_key "$root/samples/tsm/kek-aes256.json")" | ttpctl kek import --tsm demo-tsm --index 1 --algorithm aes256 --format tr31 --components-stdin

say "issuer master keys (the published vectors' master key), each with a published known-answer sample, activated"
components 404142434445464748494A4B4C4D4E4F | ttpctl issuer-key import --iin 000001 --kvn 1 --scheme scp02 --method emv \
  --sample-kdd 00010203040506070809 --sample-enc-kcv C33013 --components-stdin
ttpctl issuer-key activate --iin 000001 --kvn 1
components 404142434445464748494A4B4C4D4E4F | ttpctl issuer-key import --iin 000003 --kvn 1 --scheme scp03 --method kdf3 \
  --sample-kdd 00010203040506070809 --sample-enc-kcv E79C05 --components-stdin
ttpctl issuer-key activate --iin 000003 --kvn 1

say "portal: https://127.0.0.1:$portal_port (portal), $soap_url (SOAP)"
dotnet "$portal_dll" >"$work/portal.log" 2>&1 &
pids+=($!)
for attempt in $(seq 1 600); do
  if curl -sk -o /dev/null "https://127.0.0.1:$portal_port/"; then break; fi
  kill -0 "${pids[0]}" 2>/dev/null || { echo "demo.sh: the portal exited; its log:" >&2; cat "$work/portal.log" >&2; exit 1; }
  [[ $attempt == 600 ]] && { echo "demo.sh: the portal did not start in 120 s" >&2; exit 1; }
  sleep 0.2
done
# The TSM trusts the TTP's server certificate (self-signed here), taken from the TTP's host, not from the network.
openssl pkcs12 -in "$work/data/tls/server.pfx" -nokeys -passin pass: 2>/dev/null | openssl x509 -out "$work/ttp-server.pem"
echo "   server certificate SHA-256 $(openssl x509 -in "$work/ttp-server.pem" -noout -fingerprint -sha256 | sed 's/.*=//')"

rotated=0
provision() { # card file, new-keys file
  local name=$1 card="$work/cards/$1"
  python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); c["securityDomainManagerUrl"]=sys.argv[2]; json.dump(c,open(sys.argv[3],"w"),indent=2)' \
    "$root/samples/cards/$name" "$soap_url" "$card"
  dotnet "$card_dll" --card "$card" --port 0 >"$card.url" 2>"$card.log" &
  pids+=($!)
  for _ in $(seq 1 300); do [[ -s "$card.url" ]] && break; sleep 0.2; done
  [[ -s "$card.url" ]] || { echo "demo.sh: the card simulator for $name did not start:" >&2; cat "$card.log" >&2; return 1; }
  local url; url="$(head -1 "$card.url")/apdu"
  say "card $name at $url: ttp-tsm provision (the TTP's URL from the card's 5F50)"
  if dotnet "$tsm_dll" provision --card "$url" --client-cert "$work/tsm.pem" --client-key "$work/tsm.key" \
       --ca "$work/ttp-server.pem" --kek-index 1 --kek-file "$root/samples/tsm/kek-aes256.json" --new-keys "$root/samples/tsm/$2" | sed 's/^/   /'; then
    rotated=$((rotated + 1))
  else
    echo "demo.sh: ttp-tsm failed for $name" >&2
  fi
}
provision scp02-emv.json new-keys-scp02.json
provision scp03-kdf3-aes128.json new-keys-aes128.json

say "audit: the two key requests are in the trail, which verifies"
dotnet "$ttpctl_dll" audit verify | sed 's/^/   /' || { echo "demo.sh: the audit trail does not verify" >&2; exit 1; }

say "$rotated of 2 cards rotated"
[[ $rotated == 2 ]]
