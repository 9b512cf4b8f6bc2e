#!/usr/bin/env bash
# One run of every benchmark, in order, with the machine's facts first; the figures in
# docs/benchmarks.md come from such runs:  bash bench/run_all.sh | tee bench/out/run.txt
# Name some to run only those:  bash bench/run_all.sh bench_submissions bench_weak_network
# Needs PostgreSQL at 127.0.0.1:5432 with a database survey_bench, the sqlite3 tool and
# GNU time (Debian: apt-get install sqlite3 time), and Chromium at /usr/bin/chromium (or
# SURVEY_CHROMIUM) for the weak-network benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python}
scripts=("$@")
if [ ${#scripts[@]} -eq 0 ]; then
  scripts=(bench_submissions bench_request_costs bench_weak_network bench_exports bench_dashboard
    bench_page_weight)
fi
echo "== $(date -u +%FT%TZ) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "== $($python --version), SQLite $($python -c 'import sqlite3; print(sqlite3.sqlite_version)'), $(psql -h 127.0.0.1 -U postgres -tAc 'SHOW server_version' postgres | cut -d' ' -f1 | sed 's/^/PostgreSQL /'), sqlite3 tool $(sqlite3 --version | cut -d' ' -f1), $(${SURVEY_CHROMIUM:-/usr/bin/chromium} --version 2>/dev/null | head -1)"
for script in "${scripts[@]}"; do
  echo
  echo "== $script ($(date -u +%T), load average $(cut -d' ' -f1-3 /proc/loadavg))"
  $python "bench/$script.py"
done
