package dev.hint4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.Example;
import dev.hint4j.HintModel;
import dev.hint4j.PromptFormat;
import dev.hint4j.examples.Quickstart;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks' texts have the token counts their names promise on the shipped demo model, whose
 * tokenizer reads some words as one piece at the start of a text but letter by letter after a
 * space: when Workloads took such words, a "16-token" input was 20 tokens and QuickBench's 16-shot
 * task text 1,089 tokens, over the model's limit.
 */
class WorkloadsTest {
  @Test
  void textsHaveExactlyTheTokenCountsAskedFor() {
    try (HintModel model = HintModel.builder().classpathModel(Quickstart.DEMO_MODEL).build()) {
      Workloads w = new Workloads(model);
      assertThat(model.tokenizer().encode(w.input(3))).hasSize(Workloads.INPUT_TOKENS);
      for (int tokens : new int[] {32, 128, 512}) {
        assertThat(w.taskTokens(w.instruction(tokens, List.of(), tokens), List.of())).as("instruction of %d tokens", tokens)
            .isEqualTo(tokens);
      }
      List<Example> shots = w.examples(16);
      int wordsPerExample = Workloads.EXAMPLE_WORDS * 2;
      String word = w.words(1, 0);
      int separators = model.tokenizer().encode(PromptFormat.taskText(word, List.of(Example.of(word, word)))).length - 4; // 3 words, EOS
      assertThat(w.taskTokens(w.words(32, 5), shots)).isEqualTo(32 + 1 + shots.size() * (wordsPerExample + separators));
    }
  }
}
