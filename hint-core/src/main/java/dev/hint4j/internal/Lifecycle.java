package dev.hint4j.internal;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Open/closed state of a native-backed object shared by threads: calls run under a read lock, so
 * {@link #close(Runnable)} (write lock) waits for calls in flight, runs the release exactly once,
 * and every later call fails with {@link IllegalStateException}. Not part of the public API.
 *
 * <p>A close from inside a call on the same object (for example from a listener the call invokes)
 * is refused with {@link IllegalStateException}: that thread holds the read lock, so waiting for
 * the write lock would deadlock it and, as a queued writer, every later caller on other threads.
 */
public final class Lifecycle {
  private final String what;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /** @param what the object's name in error messages, e.g. "HintModel" */
  public Lifecycle(String what) {
    this.what = what;
  }

  public <T> T use(Supplier<T> body) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException(what + " is closed");
      }
      return body.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs {@code release} the first time only; idempotent. */
  public void close(Runnable release) {
    if (lock.getReadHoldCount() > 0) {
      throw new IllegalStateException(what + ".close() was called from inside a call on this " + what
          + " (for example from a TokenListener); it would wait for that call to end forever."
          + " Close it after the call returns");
    }
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        release.run();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
