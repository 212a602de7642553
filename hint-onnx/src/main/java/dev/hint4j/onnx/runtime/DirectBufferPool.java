package dev.hint4j.onnx.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Direct buffers for per-call tensors that ONNX Runtime reads in place (the stacked module
 * tensors of mixed batches), reused across calls. A fresh direct buffer per call costs zeroing
 * and page faults on every use, and its memory goes back only when the garbage collector gets to
 * it; the JMH profile of mixed batches showed this, not the copying, as the cost of stacking.
 * Capacities are rounded up to powers of two so buffers fit later calls of similar size; at most
 * {@code maxPooledBytes} wait in the pool, the rest are left to the collector. Thread-safe.
 */
final class DirectBufferPool {
  /** One pool for the process: 256 MiB holds the stacked modules of a 32-row mixed batch of a T5-small-sized model. */
  static final DirectBufferPool SHARED = new DirectBufferPool(256L << 20);
  /** Above this a buffer is neither rounded nor pooled. */
  private static final int LARGEST_POOLED = 1 << 30;

  private final Map<Integer, ArrayDeque<ByteBuffer>> free = new HashMap<>();
  private final long maxPooledBytes;
  private long pooledBytes;

  DirectBufferPool(long maxPooledBytes) {
    this.maxPooledBytes = maxPooledBytes;
  }

  /** A native-order buffer with position 0 and limit {@code bytes}; its contents are undefined. */
  synchronized ByteBuffer acquire(int bytes) {
    int capacity = capacityFor(bytes);
    ArrayDeque<ByteBuffer> q = free.get(capacity);
    ByteBuffer b = q == null ? null : q.poll();
    if (b == null) {
      b = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    } else {
      pooledBytes -= capacity;
    }
    b.clear().limit(bytes);
    return b;
  }

  /** Gives a buffer back; the caller must no longer use it (nor any tensor over it). */
  synchronized void release(ByteBuffer b) {
    int capacity = b.capacity();
    if (capacity > LARGEST_POOLED || Integer.bitCount(capacity) != 1 || pooledBytes + capacity > maxPooledBytes) {
      return; // not one of ours, or the pool is full: the collector frees it
    }
    free.computeIfAbsent(capacity, c -> new ArrayDeque<>()).push(b);
    pooledBytes += capacity;
  }

  synchronized long pooledBytes() {
    return pooledBytes;
  }

  private static int capacityFor(int bytes) {
    if (bytes > LARGEST_POOLED) {
      return bytes;
    }
    return Math.max(64, Integer.highestOneBit(Math.max(1, bytes - 1)) << 1);
  }
}
