package dev.hint4j.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.CacheStats;
import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import dev.hint4j.TaskModuleCache;
import dev.hint4j.onnx.testing.TinyModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskModuleCacheTest {
  @Test
  void compilesOncePerTaskAndEvictsByBytes() throws Exception {
    try (HintModel model = HintModel.builder().modelDir(TinyModel.dir()).build()) {
      long moduleBytes = model.compile("Reverse the word.").byteSize();
      TaskModuleCache cache = new TaskModuleCache(moduleBytes * 3 + moduleBytes / 2); // room for three
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<TaskModule>> same = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        same.add(pool.submit(() -> cache.getOrCompile(model, "Reverse the word.", List.of())));
      }
      TaskModule first = same.get(0).get(30, TimeUnit.SECONDS);
      for (Future<TaskModule> f : same) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isSameAs(first);
      }
      pool.shutdown();
      CacheStats shared = cache.stats();
      assertThat(shared.compiles()).as("concurrent askers share one compile").isEqualTo(1);
      assertThat(shared.hits() + shared.misses()).as("every call is a hit or a miss").isEqualTo(8);
      assertThat(shared.misses()).isBetween(1L, 8L);
      assertThat(shared.bytes()).isEqualTo(moduleBytes);

      cache.getOrCompile(model, "Reverse the word.", List.of());
      assertThat(cache.getIfPresent(first.id())).isSameAs(first);
      assertThat(cache.stats().hits()).as("a later call hits; getIfPresent is not counted").isEqualTo(shared.hits() + 1);
      for (int i = 0; i < 6; i++) {
        cache.getOrCompile(model, "Task number " + i + ".", List.of());
      }
      CacheStats after = cache.stats();
      assertThat(cache.size()).isLessThanOrEqualTo(3);
      assertThat(after.compiles()).isEqualTo(7);
      assertThat(after.misses()).isEqualTo(shared.misses() + 6);
      assertThat(after.evictions()).isEqualTo(7 - cache.size());
      long held = 0;
      for (String instruction : java.util.stream.Stream.concat(java.util.stream.Stream.of("Reverse the word."),
          java.util.stream.IntStream.range(0, 6).mapToObj(i -> "Task number " + i + ".")).toList()) {
        TaskModule kept = cache.getIfPresent(model.taskId(instruction, List.of()));
        held += kept == null ? 0 : kept.byteSize();
      }
      assertThat(after.bytes()).isEqualTo(held).isLessThanOrEqualTo(moduleBytes * 3 + moduleBytes / 2);
    }
  }
}
