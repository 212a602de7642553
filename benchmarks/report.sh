#!/usr/bin/env bash
# Runs the JMH suite in the subsets the report uses, then writes tables and charts to
# benchmarks/results. Run from the repository root after `mvn -q -DskipTests package`.
# About 30 minutes on 2 cores; the T5-small-shaped random models are built on first use.
set -euo pipefail
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
JAR=benchmarks/target/benchmarks.jar
OUT=benchmarks/results
mkdir -p "$OUT/json"
run() { name=$1; shift; java -jar "$JAR" "$@" -rf json -rff "$OUT/json/$name.json" | grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)' ; }

run per-input-demo      PerInputBenchmark -p model=demo -p instructionTokens=0,32,128,512
run per-input-t5small   PerInputBenchmark -p model=t5small -p instructionTokens=0,32,128,512,1024 -p batch=1,8
# Batch 32 only up to 128 instruction tokens: concatenation at 1024 tokens x 32 rows takes minutes per call here.
run per-input-t5small-b32 PerInputBenchmark -p model=t5small -p instructionTokens=0,32,128 -p batch=32
run few-shot            FewShotBenchmark
run mixed-batch         MixedBatchBenchmark
run instruction-kv      InstructionKvBenchmark
run compile-demo        CompileBenchmark -p model=demo -p instructionTokens=32,128,512
run compile-t5small     CompileBenchmark -p model=t5small
run module              ModuleBenchmark
java -cp "$JAR" dev.hint4j.benchmarks.BenchReport "$OUT" "$OUT"/json/*.json > /dev/null
echo "tables: $OUT/tables.md; charts: $OUT/*.png"
