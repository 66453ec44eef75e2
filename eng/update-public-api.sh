#!/usr/bin/env bash
# Updates the public API baselines after an intended change of a library's public surface: every
# public symbol the build reports as new (RS0016) is added to the project's PublicAPI.Unshipped.txt,
# and every one it reports as gone (RS0017) is taken out. Review the diff of the PublicAPI files.
# See docs/packaging.md.
#
# One `dotnet format` per project on purpose: run over the solution, it keeps the fixes of only one
# of the projects.
set -euo pipefail
cd "$(dirname "$0")/.."

for shipped in src/*/PublicAPI.Shipped.txt; do
  dir=$(dirname "$shipped")
  project="$dir/$(basename "$dir").csproj"
  echo "updating the public API baseline of $project" >&2
  dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --severity warn
done
