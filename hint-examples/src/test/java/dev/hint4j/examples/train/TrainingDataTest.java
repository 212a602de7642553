package dev.hint4j.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.internal.tokenize.CharWordTokenizerJson;
import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.onnx.train.TrainingBatch;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrainingDataTest {
  /** A resumed run must see the same batches: batch(step) depends only on (seed, step). */
  @Test
  void batchesArePureFunctionsOfSeedAndStep() {
    CharWordTokenizerJson vocab = CharWordTokenizerJson.withPieces(InstructionSuite.tokenizerPieces());
    try (HintTokenizer t = HintTokenizer.load(new ByteArrayInputStream(vocab.toJson().getBytes(StandardCharsets.UTF_8)), 1024)) {
      InstructionSuite suite = InstructionSuite.standard();
      SuiteBatches a = new SuiteBatches(suite, t, true, 8, 4, 3);
      SuiteBatches b = new SuiteBatches(suite, t, true, 8, 4, 3);
      TrainingBatch x = a.batch(13);
      a.batch(1);
      TrainingBatch y = b.batch(13);
      assertThat(x.targetIds()).usingRecursiveComparison().isEqualTo(y.targetIds());
      assertThat(x.instructionIds()).usingRecursiveComparison().isEqualTo(y.instructionIds());
      assertThat(a.batch(14).inputIds()).usingRecursiveComparison().isNotEqualTo(x.inputIds());
      assertThat(x.size()).isEqualTo(8);
    }
  }

  /** K inputs per task: each instruction appears once and its K rows follow it; padding stays low. */
  @Test
  void batchesGroupInputsByTask() {
    CharWordTokenizerJson vocab = CharWordTokenizerJson.withPieces(InstructionSuite.tokenizerPieces());
    try (HintTokenizer t = HintTokenizer.load(new ByteArrayInputStream(vocab.toJson().getBytes(StandardCharsets.UTF_8)), 1024)) {
      InstructionSuite suite = InstructionSuite.standard();
      SuiteBatches grouped = new SuiteBatches(suite, t, true, 32, 8, 5);
      double groupedPadding = 0;
      for (int step = 1; step <= 8; step++) {
        TrainingBatch b = grouped.batch(step);
        assertThat(b.size()).isEqualTo(32);
        assertThat(b.tasks()).isEqualTo(4);
        assertThat(b.taskOfRow()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
            2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
        groupedPadding += b.paddingEfficiency() / 8;
      }
      assertThat(groupedPadding).as("real / padded tokens").isGreaterThan(0.6);
      assertThatThrownBy(() -> new SuiteBatches(suite, t, true, 32, 5, 5)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("divide");
    }
  }

  @Test
  void learningRateWarmsUpThenDecays() {
    LearningRate lr = new LearningRate(1e-3, 10, 110, 0.1);
    assertThat(lr.at(5)).isEqualTo(5e-4);
    assertThat(lr.at(10)).isEqualTo(1e-3);
    assertThat(lr.at(60)).isCloseTo(0.55e-3, org.assertj.core.data.Offset.offset(1e-12)); // halfway: floor + (1-floor)/2
    assertThat(lr.at(110)).isCloseTo(1e-4, org.assertj.core.data.Offset.offset(1e-12));
  }
}
