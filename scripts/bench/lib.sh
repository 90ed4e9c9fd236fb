# Helpers the benchmarks share; source it after ../lib.sh and ../platform.sh.

# rss_mb PID: the process's resident memory in MB.
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

# ratio A B: A / B with two decimals, four under 0.1 so that a page against a bare server does not read 0.00 ("n/a"
# when B is 0).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else if (a / b < 0.1) printf "%.4f", a / b; else printf "%.2f", a / b }'; }
