#!/usr/bin/env bash
# Runs a command and prints, on stderr, its wall time, the CPU time (user + system) and the
# peak RSS of that process alone (VmHWM and /proc/<pid>/stat sampled every 20 ms until it
# exits). /usr/bin/time -v is not used for this: its figures include every reaped descendant,
# i.e. the PostgreSQL server pgparity starts. On a loaded machine the CPU time says more than
# the wall time.
#   scripts/peak-rss.sh COMMAND [ARGS...]   ->  "peak-rss: <ms> ms wall <ms> ms cpu <KB> KB" on stderr
set -uo pipefail
start=$(date +%s%N)
"$@" &
pid=$!
hwm=0 cpu=0
tick=$(getconf CLK_TCK)
while status=$(cat "/proc/$pid/status" 2>/dev/null) && ! grep -q '^State:.*Z' <<<"$status"; do
  h=$(awk '/^VmHWM/ {print $2}' <<<"$status")
  [ -n "$h" ] && hwm=$h
  c=$(sed -E 's/^.*\) //' "/proc/$pid/stat" 2>/dev/null | awk -v t="$tick" '{print int(($12 + $13) * 1000 / t)}')
  [ -n "$c" ] && cpu=$c
  sleep 0.02
done
wait "$pid"
rc=$?
echo "peak-rss: $(( ($(date +%s%N) - start) / 1000000 )) ms wall $cpu ms cpu $hwm KB" >&2
exit $rc
