#!/usr/bin/env bash
# Runs every test of the solution. Installs memcached and redis-tools (Redis's server binary) from
# Debian's packages when they are missing: the tests start their own memcached and Redis processes
# on free loopback ports.
# Ends with one line "N passed, N failed" summing every test project.
set -uo pipefail
cd "$(dirname "$0")"

if ! command -v memcached >/dev/null 2>&1 || [ ! -x /usr/bin/redis-check-rdb ]; then
  echo "memcached or Redis is missing: installing them with apt-get (Debian packages 'memcached' and 'redis-tools')" >&2
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq memcached redis-tools >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test TenantCache.slnx "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# dotnet test prints one line per test assembly: "Passed!  - Failed: 0, Passed: 79, Skipped: 0, ..."
passed=$(grep -E '^(Passed|Failed)! +- ' "$log" | sed -E 's/.*Passed: *([0-9]+).*/\1/' | awk '{s+=$1} END {print s+0}')
failed=$(grep -E '^(Passed|Failed)! +- ' "$log" | sed -E 's/.*Failed: *([0-9]+),.*/\1/' | awk '{s+=$1} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run broke before counting (build error, crashed test host)
fi
echo "$passed passed, $failed failed"
exit "$status"
