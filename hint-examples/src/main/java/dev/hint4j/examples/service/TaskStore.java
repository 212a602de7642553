package dev.hint4j.examples.service;

import dev.hint4j.Example;
import dev.hint4j.HintException;
import dev.hint4j.HintModel;
import dev.hint4j.Precision;
import dev.hint4j.TaskModule;
import dev.hint4j.TaskModuleCache;
import dev.hint4j.internal.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled tasks of one model: in memory in a byte-bounded {@link TaskModuleCache}, and on disk
 * in a directory (one {@code <id>.hintmod} file per task, float16, written atomically), so a
 * restarted service answers every task it ever compiled without compiling it again. A task
 * evicted from memory is read back from its file.
 */
final class TaskStore {
  private static final Logger LOG = LoggerFactory.getLogger(TaskStore.class);
  static final String SUFFIX = ".hintmod";

  private final HintModel model;
  private final TaskModuleCache memory;
  private final Path dir;
  private final ServiceMetrics metrics;
  /** Ids with a file in {@code dir} that belongs to this model. */
  private final java.util.Set<String> onDisk = ConcurrentHashMap.newKeySet();

  TaskStore(HintModel model, long memoryBytes, Path dir, ServiceMetrics metrics) {
    this.model = model;
    this.memory = new TaskModuleCache(memoryBytes);
    this.dir = dir;
    this.metrics = metrics;
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).forEach(this::index);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use task directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Keeps a file's id if its module reads back for this model; a module of another model is skipped with a warning. */
  private void index(Path file) {
    try {
      TaskModule m = TaskModule.fromBytes(Files.readAllBytes(file), model.fingerprint());
      onDisk.add(m.id());
    } catch (IOException | HintException e) {
      LOG.warn("skipping {}: {}", file, e.getMessage());
    }
  }

  /** The task's id, compiling and persisting it unless it is known. */
  Created create(String instruction, List<Example> examples) {
    String id = model.taskId(instruction, examples);
    if (memory.getIfPresent(id) != null || onDisk.contains(id)) {
      metrics.hit();
      return new Created(id, false);
    }
    metrics.miss();
    long start = System.nanoTime();
    TaskModule m = memory.getOrCompile(model, instruction, examples);
    metrics.compiled(System.nanoTime() - start);
    AtomicFiles.write(dir.resolve(id + SUFFIX), m.toBytes(Precision.FLOAT16));
    onDisk.add(id);
    return new Created(id, true);
  }

  record Created(String id, boolean compiled) {}

  /** The module with this id, from memory or from its file; empty when the id is unknown. */
  Optional<TaskModule> get(String id) {
    TaskModule m = memory.getIfPresent(id);
    if (m != null) {
      metrics.hit();
      return Optional.of(m);
    }
    if (!onDisk.contains(id)) {
      return Optional.empty();
    }
    try {
      m = TaskModule.fromBytes(Files.readAllBytes(dir.resolve(id + SUFFIX)), model.fingerprint());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read task " + id + ": " + e.getMessage(), e);
    }
    metrics.loadedFromDisk();
    memory.put(m);
    return Optional.of(m);
  }

  /** Evictions from memory so far (the files stay). */
  long evictions() {
    return memory.stats().evictions();
  }

  long tasksOnDisk() {
    return onDisk.size();
  }
}
