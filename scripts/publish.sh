#!/usr/bin/env bash
# The published build: framework-dependent folders for a server with the ASP.NET Core 10 runtime, no SDK and no source
# tree needed (README, "Published build"):
#   OUT/portal/      the portal (dotnet OUT/portal/Ttp.Portal.dll)
#   OUT/ttpctl/      the command line (dotnet OUT/ttpctl/ttpctl.dll)
#   OUT/ttp.sample.json  a configuration to copy to /etc/ttp/ttp.json and edit (absolute paths; every key explained)
#   OUT/LICENSE, CHANGELOG.md, SECURITY.md
# Both programs then run from any directory with TTP_CONFIG=/etc/ttp/ttp.json (or --config FILE).
#
# Usage: scripts/publish.sh [OUT]   (default OUT: ./out)
# Environment: NO_BUILD=1 publishes what the last build made (dotnet publish --no-build); CONFIGURATION (default Release).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$root/out}")
configuration=${CONFIGURATION:-Release}
no_build=()
[[ "${NO_BUILD:-0}" == 1 ]] && no_build=(--no-build)

rm -rf "$out/portal" "$out/ttpctl"
mkdir -p "$out"
for pair in "src/Ttp.Portal:portal" "src/Ttp.Cli:ttpctl"; do
  project=${pair%%:*}
  folder=${pair##*:}
  echo "== publish $project -> $out/$folder" >&2
  dotnet publish "$root/$project" -c "$configuration" --no-self-contained "${no_build[@]}" -o "$out/$folder" -v quiet -nologo >/dev/null \
    || { echo "publish.sh: dotnet publish $project failed" >&2; exit 1; }
done

# The sample configuration: the documented keys, with absolute paths for a server.
sed -e 's|"DataDirectory": "data"|"DataDirectory": "/var/lib/ttp"|' "$root/appsettings.sample.json" > "$out/ttp.sample.json"
cp "$root/LICENSE" "$root/CHANGELOG.md" "$root/SECURITY.md" "$out/"
version=$(dotnet "$out/ttpctl/ttpctl.dll" --version)
echo "== published TTP key server $version in $out" >&2
