package dev.hint4j.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;

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
      // Guava counts threads that waited on another's load as misses; loads are the compiles.
      assertThat(cache.stats().loadCount()).as("concurrent askers share one compile").isEqualTo(1);

      for (int i = 0; i < 6; i++) {
        cache.getOrCompile(model, "Task number " + i + ".", List.of());
      }
      assertThat(cache.size()).isLessThanOrEqualTo(3);
      assertThat(cache.stats().evictionCount()).isGreaterThanOrEqualTo(4);
    }
  }
}
