package dev.hint4j.onnx.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.internal.tokenize.TokenizerJsonWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The pretrained-instruction-states option (issue 13's pilot): off, nothing of the model changes;
 * on, a frozen encoder's states reach the hypernetwork and the fused memory through a trained
 * projection whose gradient is right. The states here are synthetic (a fixed random sequence per
 * instruction), standing in for MiniLM's.
 */
class PretrainedInstructionStatesTest {
  static final TokenizerJsonWriter VOCAB = TestVocab.VOCAB;
  static final int WIDTH = 12;
  @AutoClose static final HintTokenizer tokenizer = TestVocab.tokenizer();

  static HintConfig off() {
    return HintConfig.tiny(VOCAB.vocabSize());
  }

  static HintConfig on() {
    return off().toBuilder().pretrainedInstructionEncoder(new HintConfig.PretrainedInstructionEncoder("test-encoder", WIDTH)).build();
  }

  /** Off: no new parameter, the config's JSON unchanged; on: two parameters appended, every other one initialised as before. */
  @Test
  void optionOffLeavesTheModelAsItWas() {
    assertThat(off().toJson()).doesNotContain("pretrained");
    assertThat(HintWeights.shapes(off()).keySet()).noneMatch(n -> n.contains("pretrained"));
    assertThat(HintConfig.fromJson(on().toJson())).isEqualTo(on());
    assertThat(HintConfig.fromJson(off().toJson())).isEqualTo(off());

    List<String> offNames = List.copyOf(HintWeights.shapes(off()).keySet());
    List<String> onNames = List.copyOf(HintWeights.shapes(on()).keySet());
    assertThat(onNames.subList(0, offNames.size())).isEqualTo(offNames);
    assertThat(onNames.subList(offNames.size(), onNames.size())).containsExactly("hyper.pretrained_proj", "hyper.pretrained_norm");
    assertThat(HintWeights.shapes(on()).get("hyper.pretrained_proj")).containsExactly(WIDTH, off().dModel());

    HintWeights a = HintWeights.random(off(), 5);
    HintWeights b = HintWeights.random(on(), 5);
    for (String name : offNames) {
      assertThat(b.get(name).toArray()).as(name).containsExactly(a.get(name).toArray());
    }
    // The train and eval graphs of the option-off config read no pretrained inputs.
    TrainingSpec spec = TrainingSpec.defaults(off(), true, TrainingSpec.Scope.ALL);
    assertThat(TrainStepGraphs.trainStep(spec).inputs()).noneMatch(v -> v.name().startsWith("pretrained"));
    assertThat(TrainStepGraphs.evalStep(spec).inputs()).noneMatch(v -> v.name().startsWith("pretrained"));
    assertThat(spec.trainable()).isEqualTo(offNames);
  }

  /** A batch without the states a model needs, or with states it does not read, is refused by name. */
  @Test
  void batchesMustMatchTheConfig() {
    List<String> tasks = List.of("Reverse the word.", "Copy the word.");
    try (Trainer t = new Trainer(TrainingSpec.defaults(on(), true, TrainingSpec.Scope.ALL), HintWeights.random(on(), 1))) {
      TrainingBatch plain = withoutStates(batch(tasks, new SplittableRandom(1), 4));
      assertThatThrownBy(() -> t.evaluate(List.of(plain))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("test-encoder").hasMessageContaining("none");
    }
    try (Trainer t = new Trainer(TrainingSpec.defaults(off(), true, TrainingSpec.Scope.ALL), HintWeights.random(off(), 1))) {
      TrainingBatch with = batch(tasks, new SplittableRandom(1), 4);
      assertThatThrownBy(() -> t.evaluate(List.of(with))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no pretrained instruction encoder");
    }
    List<long[]> one = List.<long[]>of(new long[] {3});
    assertThatThrownBy(() -> new TrainingBatch(one, new int[] {0}, one, one, List.of(new float[0])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one token");
    assertThatThrownBy(() -> new TrainingBatch(one, new int[] {0}, one, one, List.of(new float[WIDTH], new float[WIDTH])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one entry per task");
  }

  /**
   * The train graph's gradient of the projection against central differences of the eval graph's
   * loss along two directions (the gradient's own and a random one). The gradient is read off one
   * step of AdamW set up to be plain gradient descent: β1 = β2 = 0 (no bias correction), ε = 1e4
   * far above |g| (so g/(|g| + ε) = g/ε to a relative 1e-4·|g|), lr = ε, no clipping, no decay:
   * the update is then exactly −g.
   */
  @Test
  void projectionGradientMatchesFiniteDifferences() {
    HintWeights w = HintWeights.random(on(), 7);
    TrainingBatch batch = batch(List.of("Reverse the word.", "Copy the word."), new SplittableRandom(3), 6);
    double norm = DirectionalGradientCheck.assertMatches(w, true, batch, "hyper.pretrained_proj");
    assertThat(norm).as("gradient norm of the projection").isGreaterThan(1e-4);
  }

  /** With the option on, the model trains: loss falls by more than half in 120 steps on two tiny tasks. */
  @Test
  void lossFallsWithTheOptionOn() {
    HintWeights init = HintWeights.random(on(), 3);
    List<String> tasks = List.of("Reverse the word.", "Copy the word.");
    SplittableRandom r = new SplittableRandom(5);
    try (Trainer t = new Trainer(TrainingSpec.defaults(on(), true, TrainingSpec.Scope.ALL), init)) {
      TrainingBatch eval = batch(tasks, new SplittableRandom(99), 32);
      double first = t.evaluate(List.of(eval));
      for (int s = 0; s < 120; s++) {
        Trainer.StepResult res = t.step(batch(tasks, r, 16), 3e-3);
        assertThat(res.loss()).isFinite();
      }
      double last = t.evaluate(List.of(eval));
      assertThat(last).as("eval loss %f -> %f", first, last).isLessThan(first * 0.5);
      assertThat(t.weights(init).get("hyper.pretrained_proj")).isNotEqualTo(init.get("hyper.pretrained_proj"));
    }
  }

  /** One instruction per row (reverse or copy a 2–4 letter word) with synthetic states: 2–4 tokens seeded by the instruction's ids. */
  static TrainingBatch batch(List<String> tasks, SplittableRandom r, int size) {
    TrainingBatch plain = TrainerTest.batch(tokenizer, tasks, r, size);
    List<float[]> states = new ArrayList<>();
    for (long[] ids : plain.instructionIds()) {
      SplittableRandom s = new SplittableRandom(java.util.Arrays.hashCode(ids)); // the same states for the same instruction
      float[] x = new float[(2 + s.nextInt(3)) * WIDTH];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) (s.nextDouble() * 2 - 1);
      }
      states.add(x);
    }
    return new TrainingBatch(plain.instructionIds(), plain.taskOfRow(), plain.inputIds(), plain.targetIds(), states);
  }

  static TrainingBatch withoutStates(TrainingBatch b) {
    return new TrainingBatch(b.instructionIds(), b.taskOfRow(), b.inputIds(), b.targetIds());
  }
}
