#!/usr/bin/env bash
# Runs one stage of `make test` quietly: prints the stage name, then "ok"
# with the time and the last line the stage printed (its summary), or, if
# it failed, the end of its output. The whole output is kept in
# build/logs/NAME.log either way.
#
#   scripts/stage.sh NAME COMMAND [ARG...]
set -uo pipefail
name=$1
shift
mkdir -p build/logs
log=build/logs/$name.log
printf '%-16s ' "$name"
start=$SECONDS
"$@" >"$log" 2>&1 </dev/null
rc=$?
took=$((SECONDS - start))
if [ $rc -eq 0 ]; then
  # A test runner's own count ("930 passed, 1 xfailed in 53s") when the
  # stage has one, else its last line: processes may print after pytest's
  # summary (the library's exit report of drops the tests caused on purpose).
  summary=$(grep -E '(^|[^0-9])[0-9]+ passed' "$log" | tail -n 1 | sed 's/^=* *//; s/ *=*$//' | cut -c1-100)
  [ -n "$summary" ] || summary=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1 | cut -c1-100)
  printf 'ok  %4ss  %s\n' "$took" "$summary"
  exit 0
fi
printf 'FAILED (exit %s after %ss); the last 60 lines of %s:\n' "$rc" "$took" "$log"
tail -n 60 "$log" | sed 's/^/    /'
exit $rc
