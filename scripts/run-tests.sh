#!/usr/bin/env bash
# Runs every test project of the solution and ends with one line
# "N passed, N failed" counted over all of them.
set -uo pipefail
config=${1:-Release}
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
dotnet test IoVisor.sln -c "$config" --no-build -nologo -m:1 \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
rc=$?
passed=0; failed=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  c=$(grep -o '<Counters [^>]*>' "$f")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$c")
  x=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$c")
  passed=$((passed + ${p:-0})); failed=$((failed + ${x:-0}))
done
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ] && [ $rc -ne 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed"
[ $rc -eq 0 ] && [ "$failed" -eq 0 ]
