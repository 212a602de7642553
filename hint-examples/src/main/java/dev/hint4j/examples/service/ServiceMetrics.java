package dev.hint4j.examples.service;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Counters and latency summaries the service reports at {@code GET /metrics}. Thread-safe. */
final class ServiceMetrics {
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong diskLoads = new AtomicLong();
  private final Latencies compile = new Latencies();
  private final Latencies run = new Latencies();

  void hit() {
    hits.incrementAndGet();
  }

  void miss() {
    misses.incrementAndGet();
  }

  void loadedFromDisk() {
    diskLoads.incrementAndGet();
  }

  void compiled(long nanos) {
    compile.add(nanos);
  }

  void ran(long nanos) {
    run.add(nanos);
  }

  Map<String, Object> snapshot(long evictions, long tasksOnDisk) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cacheHits", hits.get());
    m.put("cacheMisses", misses.get());
    m.put("cacheEvictions", evictions);
    m.put("loadsFromDisk", diskLoads.get());
    m.put("tasksOnDisk", tasksOnDisk);
    m.put("compileMs", compile.summary());
    m.put("runMs", run.summary());
    return m;
  }

  /** The most recent 1024 latencies of one kind: count, median, 95th percentile, max. */
  private static final class Latencies {
    private final long[] ring = new long[1024];
    private long count;

    synchronized void add(long nanos) {
      ring[(int) (count++ % ring.length)] = nanos;
    }

    synchronized Map<String, Object> summary() {
      int n = (int) Math.min(count, ring.length);
      long[] sorted = Arrays.copyOf(ring, n);
      Arrays.sort(sorted);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("count", count);
      if (n > 0) {
        s.put("median", sorted[(n - 1) / 2] / 1e6);
        s.put("p95", sorted[(int) Math.ceil(0.95 * n) - 1] / 1e6);
        s.put("max", sorted[n - 1] / 1e6);
      }
      return s;
    }
  }
}
