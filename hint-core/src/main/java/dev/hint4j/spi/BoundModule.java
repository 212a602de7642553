package dev.hint4j.spi;

import dev.hint4j.TaskModule;

/** A module's tensors in the backend's native form. Closing frees them; thread-safe for reads. */
public interface BoundModule extends AutoCloseable {
  TaskModule module();

  @Override
  void close();
}
