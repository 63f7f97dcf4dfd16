#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs every benchmark against the local Redis
# (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432, database test, user postgres), at 1 and 8
# threads, then the round-trip and entry-size probes, and prints the results table.
#
#   benchmarks/run.sh quick   # about 5 minutes: 1 fork, 1 s warm-up + 1 s measurement, SampleTime only
#   benchmarks/run.sh full    # real numbers (~36 minutes): 2 forks, 2 x 5 s warm-up, 3 x 5 s measurement
#   benchmarks/run.sh steady  # the 95/5 mix once the JIT compiler is done (~30 minutes): 10 x 10 s warm-up
#   benchmarks/run.sh quick -p implementation=HIBERNATE_2LC   # extra JMH options are passed on
#
# Environment: SKIP_BUILD=1 reuses an existing jar; THREADS="1 8" chooses the thread counts;
# BENCH_FILTER selects benchmarks (a JMH regexp, default: all of io.loom.cache.benchmarks).
# Results go to benchmarks/target/results/<timestamp>-<mode>/ (JMH JSON and logs, hits.csv,
# roundtrips.md, entry-sizes.md, results.md).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-quick}"
[[ $# -gt 0 ]] && shift
case "$MODE" in
  quick) JMH_OPTS=(-f 1 -wi 1 -w 1s -i 1 -r 1s -bm sample) ;;
  full)  JMH_OPTS=(-f 2 -wi 2 -w 5s -i 3 -r 5s -bm sample) ;;
  # On 2 cores the JIT compiler is still compiling Hibernate, Redisson and Loom 60-90 s into a
  # trial, and throughput climbs 2-3x meanwhile: only this mode measures the mix after that.
  steady) JMH_OPTS=(-f 1 -wi 10 -w 10s -i 3 -r 10s -bm thrpt -tu s)
          BENCH_FILTER="${BENCH_FILTER:-io.loom.cache.benchmarks.MixedWorkloadBenchmark}" ;;
  *) echo "usage: $0 [quick|full|steady] [JMH options...]" >&2; exit 2 ;;
esac

JAR=benchmarks/target/benchmarks.jar
if [[ "${SKIP_BUILD:-0}" != 1 || ! -f "$JAR" ]]; then
  mvn -B -q -pl benchmarks -am package -DskipTests
fi

OUT="benchmarks/target/results/$(date +%Y%m%d-%H%M%S)-$MODE"
mkdir -p "$OUT"
OUT_ABS="$(cd "$OUT" && pwd)"
FILTER="${BENCH_FILTER:-io.loom.cache.benchmarks.*Benchmark}"
JVM_ARGS="-Xms1g -Xmx1g -Dloom.bench.hitRatioFile=$OUT_ABS/hits.csv"

{ echo "started $(date -u)"; uptime; nproc; java -version 2>&1 | head -1; } > "$OUT/machine.txt"
JSONS=()
for t in ${THREADS:-1 8}; do
  java -jar "$JAR" "$FILTER" "${JMH_OPTS[@]}" -t "$t" -jvmArgsAppend "$JVM_ARGS" \
    -rf json -rff "$OUT/jmh-t$t.json" "$@" | tee "$OUT/jmh-t$t.log"
  JSONS+=("$OUT/jmh-t$t.json")
done
java -cp "$JAR" io.loom.cache.benchmarks.RoundTripProbe | tee "$OUT/roundtrips.md"
java -cp "$JAR" io.loom.cache.benchmarks.EntrySizes | tee "$OUT/entry-sizes.md"
{ echo "finished $(date -u)"; uptime; } >> "$OUT/machine.txt"

echo
java -cp "$JAR" io.loom.cache.benchmarks.ResultsTable "${JSONS[@]}" --hits "$OUT/hits.csv" | tee "$OUT/results.md"
echo
cat "$OUT/machine.txt"
echo "results in $OUT"
