#!/usr/bin/env bash
# Updates the public API baselines after an intended change of a library's public surface
# (docs/packaging.md). Builds the solution once with the two baseline diagnostics as warnings, then:
#   RS0016 (a public symbol the baseline lacks)  -> added to the project's PublicAPI.Unshipped.txt;
#   RS0017 (a baseline symbol that is gone)      -> taken out of PublicAPI.Unshipped.txt, or, when
#                                                   it had shipped, recorded there as *REMOVED*.
# Then builds again as usual: the script fails unless the build is clean. Review the diff of the
# PublicAPI files; it is the change of the public surface.
#
# Why not `dotnet format analyzers --diagnostics RS0016 RS0017`: its code fix adds RS0016 entries
# only (an RS0017 sits in a text file, which dotnet format does not fix), and run over the solution
# it keeps the fixes of one project only.
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "building to find the public API changes..." >&2
touch src/*/PublicAPI.Shipped.txt # the analyzer's input: every library with a baseline is compiled
dotnet build TenantCache.slnx -nologo -clp:NoSummary \
  "-p:WarningsNotAsErrors=RS0016%3BRS0017" >"$log" 2>&1 || true

touched=()
add_line() { # project-dir line
  printf '%s\n' "$2" >>"$1/PublicAPI.Unshipped.txt"
  touched+=("$1")
}

# RS0016: <file>(l,c): warning RS0016: Symbol '<api>' is not part of the declared public API (...) [<project>]
while IFS=$'\t' read -r api project; do
  add_line "$(dirname "$project")" "$api"
done < <(sed -nE "s/^.*: (warning|error) RS0016: Symbol '(.*)' is not part of the declared public API .*\[([^]]*\.csproj)\]$/\2\t\3/p" "$log" | sort -u)

# RS0017: <dir>/PublicAPI.<Shipped|Unshipped>.txt(l,c): warning RS0017: Symbol '<api>' is part of the declared API, but ...
while IFS=$'\t' read -r file api; do
  dir=$(dirname "$file")
  if [[ "$file" == *PublicAPI.Unshipped.txt ]]; then
    grep -vxF -- "$api" "$file" >"$file.tmp" || true
    mv "$file.tmp" "$file"
    touched+=("$dir")
  else
    add_line "$dir" "*REMOVED*$api"
  fi
done < <(sed -nE "s/^(.*PublicAPI\.(Shipped|Unshipped)\.txt)\([0-9]+,[0-9]+\): (warning|error) RS0017: Symbol '(.*)' is part of the declared API, but .*$/\1\t\4/p" "$log" | sort -u)

# Keep each touched file as the analyzer writes it: the nullable marker first, then sorted lines.
for dir in $(printf '%s\n' "${touched[@]+"${touched[@]}"}" | sort -u); do
  file="$dir/PublicAPI.Unshipped.txt"
  { echo '#nullable enable'; grep -v '^#nullable' "$file" | LC_ALL=C sort -u; } >"$file.tmp"
  mv "$file.tmp" "$file"
  echo "updated $file" >&2
done

echo "building again to check the baselines..." >&2
if ! dotnet build TenantCache.slnx -nologo -clp:NoSummary >"$log" 2>&1; then
  grep -E ' error ' "$log" | sort -u >&2
  echo "the build still fails (above); fix those errors and run this script again" >&2
  exit 1
fi
echo "public API baselines are up to date" >&2
