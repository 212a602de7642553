package dev.hint4j.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.BoundTask;
import dev.hint4j.Example;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import dev.hint4j.TaskModuleCache;
import dev.hint4j.onnx.testing.TinyModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many threads compile (through one shared, small cache that keeps evicting), bind, generate,
 * score and close on one shared model: every answer equals the single-threaded one, and the
 * whole run finishes (a deadlock would hang it; the bound is for liveness, not speed).
 */
class ConcurrencyStressTest {
  static final int THREADS = 16;
  static final int OPS_PER_THREAD = 40;
  static final GenerationConfig GREEDY = GenerationConfig.greedy(8);

  record Op(int task, String input) {}

  @Test
  void sharedModelAndCacheUnderManyThreadsGiveTheSerialAnswers() throws Exception {
    List<String> instructions = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      instructions.add("Task number " + i + ": change the word.");
    }
    List<List<Example>> examples = List.of(List.of(), List.of(Example.of("ab", "ba")));
    List<String> inputs = List.of("alpha", "beta", "gamma", "delta", "eps", "zeta word");
    try (HintModel model = HintModel.builder().modelDir(TinyModel.dir()).build()) {
      // Serial truth for every (task, input) pair.
      String[][] generated = new String[instructions.size() * 2][inputs.size()];
      double[][] scores = new double[instructions.size() * 2][inputs.size()];
      for (int t = 0; t < generated.length; t++) {
        try (BoundTask b = model.bind(model.compile(instructions.get(t / 2), examples.get(t % 2)))) {
          for (int i = 0; i < inputs.size(); i++) {
            generated[t][i] = b.generate(inputs.get(i), GREEDY);
            scores[t][i] = b.score(inputs.get(i), "abc");
          }
        }
      }
      long moduleBytes = model.compile(instructions.get(0)).byteSize();
      TaskModuleCache cache = new TaskModuleCache(moduleBytes * 4); // fewer than the 12 tasks: evictions under load
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<Integer>> futures = new ArrayList<>();
        for (int w = 0; w < THREADS; w++) {
          long seed = w;
          futures.add(pool.submit(() -> {
            SplittableRandom r = new SplittableRandom(seed);
            int checked = 0;
            for (int k = 0; k < OPS_PER_THREAD; k++) {
              int t = r.nextInt(generated.length);
              int i = r.nextInt(inputs.size());
              TaskModule module = cache.getOrCompile(model, instructions.get(t / 2), examples.get(t % 2));
              try (BoundTask b = model.bind(module)) {
                assertThat(b.generate(inputs.get(i), GREEDY)).isEqualTo(generated[t][i]);
                assertThat(b.score(inputs.get(i), "abc")).isEqualTo(scores[t][i]);
              }
              checked++;
            }
            return checked;
          }));
        }
        int total = 0;
        for (Future<Integer> f : futures) {
          total += f.get(5, TimeUnit.MINUTES);
        }
        assertThat(total).isEqualTo(THREADS * OPS_PER_THREAD);
        assertThat(cache.stats().evictions()).as("the cache evicted while threads used its modules").isPositive();
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
