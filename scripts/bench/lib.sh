# Helpers the benchmarks share; source it after ../lib.sh and ../platform.sh.

# rss_mb PID: the process's resident memory in MB.
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

# ratio A B: A / B with two decimals ("n/a" when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }
