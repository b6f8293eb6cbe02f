#!/usr/bin/env bash
# Packs the server, installs it from that local package the two ways users will (dotnet tool install, dnx),
# and completes an MCP initialize with each. Exit status 0 only if both answered as portkey-admin-mcp.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")

dotnet pack "$root/src/PortkeyAdminMcp" -c Release -o "$work/feed" -p:NoWarn=NU1603 >/dev/null
echo "packed PortkeyAdminMcp $version"

initialize() {
  # Sends one initialize request, waits for the answer line, then closes stdin so the server exits.
  local answer=""
  coproc SERVER { "$@" 2>/dev/null; }
  printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"try-package","version":"1"}}}' >&"${SERVER[1]}"
  read -r -t 120 answer <&"${SERVER[0]}" || true
  exec {SERVER[1]}>&-
  wait "$SERVER_PID" || true
  if ! grep -q "\"serverInfo\":{\"name\":\"portkey-admin-mcp\"[^}]*\"version\":\"$version\"" <<<"$answer"; then
    echo "no initialize answer from: $*" >&2
    echo "$answer" >&2
    return 1
  fi
  echo "initialize answered by: $*"
}

dotnet tool install PortkeyAdminMcp --version "$version" --tool-path "$work/tools" --add-source "$work/feed" >/dev/null
initialize "$work/tools/portkey-admin-mcp"

# dnx ships beside dotnet in .NET 10 but is not always on PATH.
dnx=$(command -v dnx || echo "$(dirname "$(readlink -f "$(command -v dotnet)")")/dnx")
# dnx keeps its own cache; a private NuGet home makes this run use the package just packed.
NUGET_PACKAGES="$work/nuget" initialize "$dnx" PortkeyAdminMcp --version "$version" --source "$work/feed" --yes
