#!/usr/bin/env bash
# Regenerates openapi.yaml from the running code: starts hoverd on a scratch
# state and pin directory, saves its OpenAPI document, stops it.
set -euo pipefail
config=${1:-Release}
out=${2:-openapi.yaml}
scratch=$(mktemp -d)
pins=/sys/fs/bpf/iovisor-openapi-$$
port=$((20000 + RANDOM % 20000))
dotnet "src/Hover/bin/$config/net10.0/hoverd.dll" --listen "http://127.0.0.1:$port" \
  --state-dir "$scratch/state" --bpffs-dir "$pins" >"$scratch/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$scratch" "$pins"' EXIT
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/swagger/v1/swagger.yaml" -o "$out"
echo "wrote $out"
