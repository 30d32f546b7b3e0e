#!/usr/bin/env bash
# Runs the JMH suite: `benchmarks/run.sh` for the default matrix (about 15 minutes on 2 cores),
# `benchmarks/run.sh targets` for the write-path targets (about 15 minutes), `benchmarks/run.sh durability` for the
# cost of the crash-safe defaults (about 7 minutes), `benchmarks/run.sh encryption` for what encryption at rest
# costs (about 6 minutes), `benchmarks/run.sh redis` for the Redis tier and its near
# cache (about 10 minutes; starts its own redis-server), `benchmarks/run.sh placement` for the adaptive strategy
# against the size strategy, Ehcache heap+disk, a budget-bound Caffeine and the raw engines (about 25 minutes),
# `benchmarks/run.sh quick` for a smoke run, or `benchmarks/run.sh custom <jmh arguments...>` for anything else.
# Writes raw JMH JSON to benchmarks/results/jmh/, then results.md (table with ratios) and chart.png.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
mvn -B -q install -DskipTests
mvn -B -q -f benchmarks/pom.xml package
cd "$here"
rm -rf results/jmh && mkdir -p results/jmh

JAR=target/benchmarks.jar
# A fixed, pre-touched heap: the first touch of fresh pages is slow on these machines and would skew
# any benchmark that allocates.
COMMON=(-wi 1 -w 1s -r 1s -jvmArgs "-Xms2g -Xmx2g -XX:+AlwaysPreTouch" -rf json)
# forks and measured iterations; JMH refuses an option given twice, so a mode changes them here
STEADY="-f 1 -i 3"
ALL_SUBJECTS=tiercache-heap,tiercache-mapdb,tiercache-rocksdb,tiercache-composite,caffeine-raw,caffeine-jcache,ehcache-heap,ehcache-disk,mapdb-raw,rocksdb-raw
SOME_SUBJECTS=tiercache-heap,tiercache-rocksdb,caffeine-jcache,rocksdb-raw
HEAP_PEERS=tiercache-heap,caffeine-jcache,ehcache-heap

part=0
run() { # run <benchmark regex> <jmh args...>
  part=$((part + 1))
  # shellcheck disable=SC2086 # STEADY is a list of options
  java -jar "$JAR" "CacheBenchmark.($1)\$" "${COMMON[@]}" $STEADY -rff "results/jmh/part-$part.json" "${@:2}"
}

case "${1:-default}" in
  quick)
    STEADY="-f 1 -i 1"
    run getHit -p subject=tiercache-heap,caffeine-jcache,caffeine-raw,tiercache-rocksdb,rocksdb-raw \
      -p value=100B -p storeByValue=false -p keys=uniform -t 1
    ;;
  targets)
    # two forks of five iterations: on a shared 2-core machine one fork of three swings by more than the ratios
    STEADY="-f 2 -i 5"
    # the write-path targets, in one run: each disk tier against its raw engine configured alike (RocksDB with
    # its WAL, MapDB memory-mapped without transactions), the heap against Caffeine's JCache adapter, and the
    # composite against the tier each value lives in (100 B and the POJO on the heap, 10 KiB in MapDB,
    # 1 MiB in RocksDB)
    run 'getHit|put' -p subject=tiercache-mapdb,mapdb-raw,tiercache-rocksdb,rocksdb-raw -p value=100B,10KiB,pojo \
      -p storeByValue=false -p keys=uniform -t 1
    run 'getHit|put' -p subject=tiercache-heap,caffeine-jcache -p value=100B,pojo -p storeByValue=false \
      -p keys=uniform -t 1
    run getHit -p subject=tiercache-heap,caffeine-jcache,tiercache-composite -p value=100B,pojo \
      -p storeByValue=true -p keys=uniform -t 1
    run getHit -p subject=tiercache-composite,tiercache-mapdb,tiercache-rocksdb -p value=10KiB,1MiB \
      -p storeByValue=true -p keys=uniform -t 1
    ;;
  durability)
    # what the crash-safe defaults cost in put throughput: MapDB with its redo log against the same mapped file
    # without it (and against raw MapDB configured alike); RocksDB with its WAL against raw RocksDB with its WAL
    STEADY="-f 2 -i 5"
    run put -p subject=tiercache-mapdb,tiercache-mapdb-lost-on-crash,mapdb-raw,tiercache-rocksdb,rocksdb-raw \
      -p value=100B,10KiB,pojo -p storeByValue=false -p keys=uniform -t 1
    ;;
  encryption)
    # what encryption at rest costs: each disk tier encrypted against the same tier unencrypted, 1 KiB and 10 KiB
    STEADY="-f 2 -i 5"
    run 'getHit|put' -p subject=tiercache-mapdb,tiercache-mapdb-encrypted,tiercache-rocksdb,tiercache-rocksdb-encrypted \
      -p value=1KiB,10KiB -p storeByValue=false -p keys=uniform -t 1
    ;;
  redis)
    # the Redis tier against raw Lettuce GET/SET of the same bytes on the same server, near-cache hits against
    # the heap tier (both storing by value), then the near cache under a Zipf workload with two writing JVMs
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    redis_dir=$(mktemp -d)
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --pidfile "$redis_dir/redis.pid" --dir "$redis_dir" --logfile "$redis_dir/redis.log"
    trap 'kill "$(cat "$redis_dir/redis.pid")" 2>/dev/null; rm -rf "$redis_dir"' EXIT
    sleep 0.5
    uri="redis://127.0.0.1:$port"
    STEADY="-f 2 -i 5"
    run 'getHit|put' -p subject=tiercache-redis,lettuce-raw -p value=100B,10KiB -p storeByValue=false \
      -p keys=uniform -t 1 -jvmArgsAppend "-Dtiercache.bench.redis=$uri"
    run getHit -p subject=tiercache-heap-redis,tiercache-heap -p value=100B,pojo -p storeByValue=true \
      -p keys=uniform -t 1 -jvmArgsAppend "-Dtiercache.bench.redis=$uri"
    java -Xms1g -Xmx1g -cp "$JAR" io.tiercache.benchmarks.NearCacheWorkload "$uri" 20 2000 results/near-cache.md
    ;;
  placement)
    # Zipf(0.99), 10% writes, a data set ten times the heap budget, values of 100 B to 1 MiB: the adaptive
    # strategy against the size strategy, Ehcache heap+disk (by value, like with like; and by reference),
    # Caffeine bound to the same budget, and the same design built from the raw engines (what they cost); then
    # the hit ratios, counted over a fixed number of operations
    java -jar "$JAR" 'PlacementBenchmark.operation$' -wi 2 -w 5s -i 5 -r 5s -f 2 -t 1 \
      -jvmArgs "-Xms2g -Xmx2g -XX:+AlwaysPreTouch" -p budgetMiB=32 \
      -p subject=tiercache-adaptive,tiercache-size,ehcache-heap-disk,ehcache-heap-disk-by-reference,caffeine-budget,raw-engines \
      -rf json -rff results/jmh/placement.json
    java -Xms2g -Xmx2g -cp "$JAR" io.tiercache.benchmarks.PlacementHitRatios 32 500000 2>/dev/null \
      | grep '^|' > results/placement-hit-ratios.md
    java -cp "$JAR" io.tiercache.benchmarks.PlacementReport results/jmh/placement.json \
      results/placement-hit-ratios.md results/placement.md > /dev/null
    echo "Wrote $here/results/placement.md"
    exit 0
    ;;
  custom)
    shift
    java -jar "$JAR" "$@" -rf json -rff results/jmh/custom.json
    ;;
  default)
    run getHit -p subject=$ALL_SUBJECTS -p value=100B,10KiB,1MiB,pojo -p storeByValue=false -p keys=uniform -t 1
    run getHit -p subject=$HEAP_PEERS -p value=100B,pojo -p storeByValue=true -p keys=uniform -t 1
    run put -p subject=$ALL_SUBJECTS -p value=100B -p storeByValue=false -p keys=uniform -t 1
    run 'getMiss|mixed|getAll|putAll' -p subject=$SOME_SUBJECTS -p value=100B -p storeByValue=false \
      -p keys=uniform -t 1
    run getHit -p subject=tiercache-heap,caffeine-jcache,caffeine-raw -p value=100B -p storeByValue=false \
      -p keys=uniform -t 2
    run getHit -p subject=tiercache-heap,caffeine-jcache,caffeine-raw -p value=100B -p storeByValue=false \
      -p keys=zipf -t 1
    ;;
  *)
    echo "usage: $0 [default|targets|durability|encryption|redis|placement|quick|custom <jmh arguments>]" >&2
    exit 2
    ;;
esac

if [ "${1:-default}" = encryption ]; then
  java -cp "$JAR" io.tiercache.benchmarks.Report results/jmh results/encryption.md results/encryption-chart.png \
    > /dev/null
  echo "Wrote $here/results/encryption.md"
  exit 0
fi
if [ "${1:-default}" = redis ]; then
  java -cp "$JAR" io.tiercache.benchmarks.Report results/jmh results/redis.md results/redis-chart.png > /dev/null
  echo "Wrote $here/results/redis.md and near-cache.md"
  exit 0
fi
java -cp "$JAR" io.tiercache.benchmarks.Report results/jmh results/results.md results/chart.png > /dev/null
java -Xms2g -Xmx2g -cp "$JAR" io.tiercache.benchmarks.Footprint \
  tiercache-heap caffeine-raw caffeine-jcache ehcache-heap tiercache-rocksdb tiercache-mapdb > results/footprint.md
echo "Wrote $here/results/results.md, chart.png and footprint.md"
