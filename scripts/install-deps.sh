#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need (only those
# missing), restores NuGet packages and makes sure bpffs is mounted.
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (dotnet on PATH)" >&2; exit 1; }
if ! mount | grep -q " /sys/fs/bpf type bpf"; then
  mount -t bpf bpf /sys/fs/bpf
fi
dotnet restore IoVisor.sln -nologo -v q
