package dev.hint4j;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.UncheckedExecutionException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Compiled tasks kept by id, bounded by the bytes of their tensors (least recently used go first).
 * A miss compiles once even when many threads ask for the same task at the same time. A module
 * larger than the whole budget is compiled and returned but not kept.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * TaskModuleCache cache = new TaskModuleCache(1L << 30);              // 1 GiB of module tensors
 * TaskModule task = cache.getOrCompile(model, instruction, examples); // compiles on the first call only
 * }</pre>
 */
public final class TaskModuleCache {
  private final Cache<String, TaskModule> cache;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder compiles = new LongAdder();

  public TaskModuleCache(long maxBytes) {
    if (maxBytes <= 0) {
      throw new InvalidInputException("cache size must be > 0 bytes, got " + maxBytes);
    }
    this.cache = CacheBuilder.newBuilder()
        .maximumWeight(maxBytes)
        // One segment: Guava splits the weight budget across segments, and modules are large
        // relative to a segment's share, so with the default (4) a module could be evicted at once.
        .concurrencyLevel(1)
        .weigher((String id, TaskModule m) -> (int) Math.min(Integer.MAX_VALUE, m.byteSize()))
        .recordStats()
        .build();
  }

  /**
   * The cached module for this task, compiling it with {@code model} on a miss. Arguments are
   * checked as {@link HintModel#compile} checks them; a null model is a {@link NullPointerException}.
   */
  public TaskModule getOrCompile(HintModel model, String instruction, List<Example> examples) {
    java.util.Objects.requireNonNull(model, "model");
    String id = model.taskId(instruction, examples);
    TaskModule cached = cache.getIfPresent(id);
    if (cached != null) {
      hits.increment();
      return cached;
    }
    misses.increment();
    try {
      return cache.get(id, () -> {
        TaskModule compiled = model.compile(instruction, examples);
        compiles.increment();
        return compiled;
      });
    } catch (ExecutionException | UncheckedExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new HintException("compiling task failed", e.getCause());
    }
  }

  /** Adds a module made elsewhere (for example read back with {@link TaskModule#fromBytes}). */
  public void put(TaskModule module) {
    cache.put(module.id(), module);
  }

  /** The module with this id if it is cached; not counted in {@link #stats()}. */
  public TaskModule getIfPresent(String id) {
    return cache.getIfPresent(id);
  }

  public long size() {
    return cache.size();
  }

  /** Hits, misses, compiles, evictions and bytes held; see {@link CacheStats} for what each counts. */
  public CacheStats stats() {
    long bytes = 0;
    for (TaskModule m : cache.asMap().values()) {
      bytes += m.byteSize();
    }
    return new CacheStats(hits.sum(), misses.sum(), compiles.sum(), cache.stats().evictionCount(), bytes);
  }

  public void invalidateAll() {
    cache.invalidateAll();
  }
}
