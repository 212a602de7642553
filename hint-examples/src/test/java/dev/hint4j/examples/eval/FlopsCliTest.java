package dev.hint4j.examples.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.HintConfig;
import dev.hint4j.PromptFormat;
import dev.hint4j.cost.CostModel;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.examples.suite.SuiteExample;
import dev.hint4j.internal.tokenize.CharWordTokenizerJson;
import dev.hint4j.internal.tokenize.HintTokenizer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-input FLOPs without a model: the evaluation's accounting, on its rows, for sizes that exist only as options. */
class FlopsCliTest {
  @Test
  void sizeListsGiveOneRowPerCombination() {
    List<Map<String, String>> c = FlopsCli.combinations(Map.of("size", "tiny", "d-model", "64,96", "layers", "2+2,3+3,1+1"));
    assertThat(c).hasSize(6).allSatisfy(m -> assertThat(m).containsEntry("size", "tiny").containsKeys("d-model", "layers"));
    assertThat(c).extracting(m -> m.get("d-model") + "/" + m.get("layers")).containsExactlyInAnyOrder(
        "64/2+2", "64/3+3", "64/1+1", "96/2+2", "96/3+3", "96/1+1");
  }

  /**
   * The baseline's encoder reads the concatenated text as the runtime builds it (separator
   * included); its per-input FLOPs grow with the examples in the prompt while HINT's barely do, and a
   * smaller baseline costs less.
   */
  @Test
  void baselineCountsItsWholePromptAndHintDoesNot() {
    CharWordTokenizerJson vocab = CharWordTokenizerJson.withPieces(InstructionSuite.tokenizerPieces());
    try (HintTokenizer t = HintTokenizer.load(new ByteArrayInputStream(vocab.toJson().getBytes(StandardCharsets.UTF_8)), 832)) {
      InstructionSuite suite = InstructionSuite.forTokenizer(t);
      HintConfig small = HintConfig.small(vocab.vocabSize());
      SuiteExample e = EvalCli.examples(suite, Split.HELD_OUT_INPUTS, 0, 1).get(0);
      int all = t.encode(PromptFormat.concatenated(e.instruction(), e.examples(), e.input())).length;
      int in = t.encode(e.input()).length;
      int out = t.encode(e.output()).length;
      assertThat(EvalCli.flops(new CostModel(small), t, EvalCli.Mode.CONCAT, e, 0)[0])
          .isEqualTo((double) new CostModel(small).concatPerInputFlops(all - in, in, out));

      HintConfig smaller = small.toBuilder().dModel(64).headDim(16).ffnDim(128).build();
      String concat = FlopsCli.table(EvalCli.Mode.CONCAT, List.of(small, smaller), t, suite, 3, new int[] {0, 4});
      String hint = FlopsCli.table(EvalCli.Mode.HINT, List.of(small), t, suite, 3, new int[] {0, 4});
      double[] big = numbers(concat.lines().toList().get(2));
      double[] less = numbers(concat.lines().toList().get(3));
      double[] h = numbers(hint.lines().toList().get(2));
      assertThat(big[1]).as("4-shot over 0-shot, baseline").isGreaterThan(1.5 * big[0]);
      assertThat(h[1]).as("4-shot over 0-shot, HINT").isLessThan(1.2 * h[0]);
      assertThat(big[0]).as("the baseline at HINT's size").isGreaterThan(h[0]);
      assertThat(less[0]).isLessThan(big[0] / 2);
    }
  }

  /** The GFLOPs columns of a table row. */
  private static double[] numbers(String row) {
    String[] cells = row.split("\\|");
    return java.util.Arrays.stream(cells, 3, cells.length).map(String::strip).filter(s -> !s.isEmpty())
        .mapToDouble(Double::parseDouble).toArray();
  }
}
