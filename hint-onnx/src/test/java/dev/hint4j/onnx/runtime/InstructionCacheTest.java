package dev.hint4j.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.BoundTask;
import dev.hint4j.Example;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import dev.hint4j.onnx.export.RandomModel;
import dev.hint4j.onnx.testing.TinyModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caching the instruction's cross-attention keys/values in the module is exact: a model exported
 * without the cache (the encoder re-projects the encoded instruction per batch) answers the same.
 */
class InstructionCacheTest {
  @Test
  void cachedAndRecomputedInstructionKeysAgree(@TempDir Path tmp) {
    Path uncachedDir = tmp.resolve("uncached");
    RandomModel.create(uncachedDir, HintConfig::tiny, 0, TinyModel.SEED, false, false);
    GenerationConfig gen = GenerationConfig.greedy(8).withMinNewTokens(8);
    List<String> inputs = List.of("hello", "strawberry", "xy");
    try (HintModel cached = HintModel.builder().modelDir(TinyModel.dir()).build();
        HintModel uncached = HintModel.builder().modelDir(uncachedDir).build()) {
      TaskModule a = cached.compile("Swap the first and last letter.", List.of(Example.of("abc", "cba")));
      TaskModule b = uncached.compile("Swap the first and last letter.", List.of(Example.of("abc", "cba")));
      assertThat(a.tensors()).containsKey("instruction_cross_key.0").doesNotContainKey("instruction_states");
      assertThat(b.tensors()).containsKey("instruction_states").doesNotContainKey("instruction_cross_key.0");
      try (BoundTask ba = cached.bind(a); BoundTask bb = uncached.bind(b)) {
        assertThat(bb.generateBatch(inputs, gen)).isEqualTo(ba.generateBatch(inputs, gen));
        // Same math, different grouping of float32 operations: equal to rounding.
        assertThat(bb.score("hello", "olleh")).isCloseTo(ba.score("hello", "olleh"), org.assertj.core.data.Offset.offset(1e-3));
        TaskModule other = uncached.compile("Reverse.");
        try (BoundTask bo = uncached.bind(other)) {
          List<String> mixed = uncached.generateMixed(List.of(bb, bo, bb), inputs, gen);
          assertThat(mixed).containsExactly(bb.generate(inputs.get(0), gen), bo.generate(inputs.get(1), gen),
              bb.generate(inputs.get(2), gen));
        }
      }
    }
  }
}
