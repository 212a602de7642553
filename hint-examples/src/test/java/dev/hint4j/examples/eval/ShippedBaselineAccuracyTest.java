package dev.hint4j.examples.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.HintModel;
import dev.hint4j.examples.suite.Split;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedded instruction-concatenation baseline ({@link EvalCli#DEMO_CONCAT_MODEL}) answers through
 * the runtime's concatenation path as it did when trained: its prompt segment bias only helps if the
 * runtime marks the same prompt tokens that training did. Same fixed sample and margin as {@link
 * DemoModelAccuracyTest}: the first {@value DemoModelAccuracyTest#PER_SPLIT} held-out-input examples
 * EvalCli uses, greedy, floor = the score when the model was committed minus 10 points (6 of 60
 * answers) for other CPUs' float summation order.
 */
class ShippedBaselineAccuracyTest {
  @Test
  void zeroShotHeldOutInputsStayAtTheShippedLevel() {
    try (HintModel model = HintModel.builder().classpathModel(EvalCli.DEMO_CONCAT_MODEL).build()) {
      assertThat(model.config().hasPromptSegmentBias()).isTrue();
      double exact = EvalCli.evaluate("concatenation 0-shot", model, EvalCli.Mode.CONCAT, 0, DemoModelAccuracyTest.PER_SPLIT,
          List.of(Split.HELD_OUT_INPUTS)).scores().get(Split.HELD_OUT_INPUTS)[0];
      assertThat(exact).as("exact match %% on held-out inputs").isGreaterThanOrEqualTo(FLOOR_INPUTS);
    }
  }

  // Shipped baseline on this sample: held-out inputs 95.0 (HINT: 95.0).
  static final double FLOOR_INPUTS = 85;
}
