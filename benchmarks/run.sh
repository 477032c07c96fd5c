#!/usr/bin/env bash
# `make bench`: run by scripts/test-services.sh (a throwaway PostgreSQL + Redis in DATABASE_URL, REDIS_URL).
# Migrates, fills the database at BENCH_SCALE (default 1: four-country scale), times every scenario
# and writes benchmarks/REPORT.md; the raw figures stay in var/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${BENCH_SCALE:-1}
mkdir -p var/bench
started=$SECONDS
python manage.py migrate --no-input -v0
python benchmarks/generate.py --scale "$scale" | tee var/bench/generate.log
python benchmarks/scenarios.py var/bench/results.json
echo "total $((SECONDS - started)) s" >>var/bench/generate.log
python benchmarks/report.py var/bench "$scale" >benchmarks/REPORT.md
echo "wrote benchmarks/REPORT.md"
