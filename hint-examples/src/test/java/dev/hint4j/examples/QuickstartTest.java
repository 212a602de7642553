package dev.hint4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.HintModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickstartTest {
  @Test
  void mainJobRunsOnTheEmbeddedModelAndAnswersMostShownInputs() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    double right;
    try (HintModel model = HintModel.builder().classpathModel(Quickstart.DEMO_MODEL).build();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      right = Quickstart.run(model, out);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("hint4j-demo-hint", "An ambiguous task", "compiled with the 4 examples", "concatenation/HINT",
        "Per-input cost");
    // The few-shot demo: without examples the ambiguous instruction gets 0 of 12, with them 12.
    assertThat(text).containsPattern("compiled with the 4 examples: ([9]|1[0-2]) of 12 right");
    assertThat(right).as(text).isGreaterThanOrEqualTo(SHOWN_FLOOR);
  }

  /** The shipped model answers 24 of the 24 shown inputs; the floor allows 3 to flip on another CPU. */
  static final double SHOWN_FLOOR = 21 / 24.0;
}
