package dev.hint4j;

/**
 * Counters of a {@link TaskModuleCache} since it was created, read at one moment (each counter is
 * exact; taken together under concurrent use they may be a few calls apart).
 *
 * @param hits {@code getOrCompile} calls answered by a module already in the cache
 * @param misses {@code getOrCompile} calls that found no module: each either compiled it or waited
 *     for a concurrent call compiling the same task ({@code hits + misses} = calls)
 * @param compiles compilations that finished and returned a module ({@code <= misses}; a failed
 *     compilation counts as a miss only)
 * @param evictions modules dropped to stay within the byte budget, including a module larger than
 *     the whole budget, which is returned but not kept (explicit {@code invalidateAll} is not counted)
 * @param bytes tensor bytes ({@link TaskModule#byteSize()}) of the modules held now
 */
public record CacheStats(long hits, long misses, long compiles, long evictions, long bytes) {}
