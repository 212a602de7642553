package dev.hint4j.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.InvalidInputException;
import dev.hint4j.onnx.testing.TinyModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * generate, generateBatch and generateMixed share one generation path: every strategy gets the
 * same row checks, whatever the rows' tasks, and streaming works for each strategy.
 */
class GenerationPathTest {
  static final List<GenerationConfig> STRATEGIES = List.of(
      GenerationConfig.greedy(8),
      GenerationConfig.beam(2, 8),
      GenerationConfig.builder().maxNewTokens(8).sampling(7).temperature(0.8).build());

  @AutoClose static final HintModel model = TinyModel.open();

  @Test
  void mixedBatchesRefuseTasksOfAnotherModelEvenWhenEveryRowIsOneTask() {
    try (HintModel other = HintModel.builder().modelDir(TinyModel.dir()).build();
         BoundTask foreign = other.bind(other.compile("Reverse the word."))) {
      for (GenerationConfig cfg : STRATEGIES) {
        assertThatThrownBy(() -> model.generateMixed(List.of(foreign, foreign), List.of("abc", "de"), cfg)).as("%s", cfg.strategy())
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("task at row 0 is bound to another HintModel");
      }
    }
  }

  @Test
  void rowsAreNamedInErrorsForEveryStrategy() {
    try (BoundTask a = model.bind(model.compile("Reverse the word."))) {
      for (GenerationConfig cfg : STRATEGIES) {
        assertThatThrownBy(() -> model.generateMixed(Arrays.asList(a, null), List.of("abc", "de"), cfg)).as("%s", cfg.strategy())
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("task at row 1 is null");
        assertThatThrownBy(() -> a.generateBatch(List.of("abc", " "), cfg)).as("%s", cfg.strategy())
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("input at row 1 is blank");
      }
    }
  }

  @Test
  void streamingReportsTheAnswerForEveryStrategy() {
    try (BoundTask a = model.bind(model.compile("Reverse the word."))) {
      GenerationConfig sampling = STRATEGIES.get(2);
      StringBuilder streamed = new StringBuilder();
      List<Integer> rows = new ArrayList<>();
      String sampled = a.generate("abcabc", sampling.withMinNewTokens(4), (row, id, delta) -> {
        rows.add(row);
        streamed.append(delta);
      });
      assertThat(streamed.toString()).isEqualTo(sampled);
      assertThat(rows).hasSizeGreaterThanOrEqualTo(4).containsOnly(0); // one report per token, at least minNewTokens

      GenerationConfig beam = STRATEGIES.get(1).withMinNewTokens(2);
      List<String> reports = new ArrayList<>();
      String beamed = a.generate("abcabc", beam, (row, id, text) -> reports.add(row + ":" + text));
      assertThat(reports).containsExactly("0:" + beamed); // beam search reports its answer once, when done
    }
  }
}
