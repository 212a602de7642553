package dev.hint4j.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every benchmark here shares (JMH's class annotations are inherited): average time
 * per call in ms, 2 warm-up and 5 measured iterations of 1 s, one fork, DJL kept offline and quiet.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-DOPT_OUT_TRACKING=true", "-DDJL_OFFLINE=true", "-DRUST_FLAVOR=cpu",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public abstract class BenchDefaults {}
