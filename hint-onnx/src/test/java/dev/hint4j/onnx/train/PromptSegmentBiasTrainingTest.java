package dev.hint4j.onnx.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.BoundTask;
import dev.hint4j.Example;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.ModelLoadException;
import dev.hint4j.ModelManifest;
import dev.hint4j.PromptFormat;
import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.internal.tokenize.TokenizerJsonWriter;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.export.ModelExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training the instruction-concatenation baseline with its prompt segment bias: the bias's
 * gradient is right, it lets a tiny baseline learn to copy and reverse behind a long prompt far
 * faster than without it, and an exported model scores exactly what the training forward computes
 * (the runtime finds the same prompt tokens the batches mark).
 */
class PromptSegmentBiasTrainingTest {
  static final TokenizerJsonWriter VOCAB = TestVocab.VOCAB;
  @AutoClose static final HintTokenizer tokenizer = TestVocab.tokenizer();

  static HintConfig with(boolean bias) {
    return HintConfig.tiny(VOCAB.vocabSize()).toBuilder().promptSegmentBias(bias).build();
  }

  @Test
  void theBiasIsTheBaselinesAndNeedsThePromptLengths() {
    assertThatThrownBy(() -> TrainingSpec.defaults(with(true), true, TrainingSpec.Scope.ALL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--mode concat");
    TrainingSpec spec = TrainingSpec.defaults(with(true), false, TrainingSpec.Scope.ALL);
    assertThat(spec.trainable()).contains(HintWeights.PROMPT_SEGMENT_BIAS).noneMatch(n -> n.startsWith("hyper."));
    assertThat(TrainingSpec.decays(HintWeights.PROMPT_SEGMENT_BIAS, new long[] {2, 4})).isFalse();
    TrainingBatch b = batch(new SplittableRandom(1), 2, 1);
    TrainingBatch withoutLengths = new TrainingBatch(null, b.inputIds(), b.targetIds());
    try (Trainer t = new Trainer(spec, HintWeights.random(with(true), 1))) {
      assertThatThrownBy(() -> t.evaluate(List.of(withoutLengths))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prompt");
    }
    List<long[]> one = List.<long[]>of(new long[] {3, 1});
    assertThatThrownBy(() -> TrainingBatch.concatenated(one, one, new int[] {3}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 0..2");
    assertThatThrownBy(() -> new TrainingBatch(one, new int[] {0}, one, one, null, new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseline");
  }

  /**
   * The train graph's gradient of {@code concat.segment_bias} against central differences of the
   * eval graph's loss, along the gradient and along a random direction; the gradient is read off
   * one AdamW step set up as plain gradient descent (DirectionalGradientCheck).
   */
  @Test
  void segmentBiasGradientMatchesFiniteDifferences() {
    HintWeights w = HintWeights.random(with(true), 7);
    double norm = DirectionalGradientCheck.assertMatches(w, false, batch(new SplittableRandom(3), 6, 1), HintWeights.PROMPT_SEGMENT_BIAS);
    assertThat(norm).as("gradient norm of the segment bias (measured 0.021)").isGreaterThan(5e-3);
  }

  /**
   * Copy or reverse a 2–5 letter word behind a one-shot prompt of ~42 tokens (input ~5), the
   * baseline's situation on the suite: with the bias the loss after 100 steps is far below the same
   * model's without it, same seed and batches (measured 1.02 against 1.89 nats; exact match 31 %
   * against 0 %). CPU time ~5 s per model.
   */
  @Test
  void learnsToCopyFarFasterWithTheBias() {
    double[] loss = new double[2];
    for (int i = 0; i < 2; i++) {
      HintConfig c = with(i == 1);
      try (Trainer t = new Trainer(TrainingSpec.defaults(c, false, TrainingSpec.Scope.ALL), HintWeights.random(c, 3))) {
        SplittableRandom r = new SplittableRandom(5);
        for (int s = 0; s < 100; s++) {
          assertThat(t.step(batch(r, 16, 1), 3e-3).loss()).isFinite();
        }
        loss[i] = t.evaluate(List.of(batch(new SplittableRandom(99), 32, 1)));
      }
    }
    assertThat(loss[1]).as("loss with the bias %f, without %f", loss[1], loss[0]).isLessThan(0.7 * loss[0]);
  }

  /**
   * The exported baseline's score of an answer is minus the eval graph's loss (per token, times the
   * tokens) for the same row: the runtime counts the same prompt tokens the batch marks and the
   * inference graphs compute the training forward. Rows with different prompts batch together.
   */
  @Test
  void exportedModelScoresWhatTheTrainingForwardComputes(@TempDir Path dir) {
    HintConfig c = with(true);
    HintWeights w = HintWeights.random(c, 4);
    ModelExporter.export(w, VOCAB.toJson(), dir.resolve("m"), new ModelExporter.Options("concat", "random baseline", false));
    String instruction = "Reverse the word.";
    List<Example> shots = List.of(Example.of("abc", "cba"));
    String input = "hello";
    long[] ids = tokenizer.encode(PromptFormat.concatenated(instruction, shots, input));
    int prompt = tokenizer.concatenationPromptTokens(ids, instruction, shots);
    assertThat(prompt).isBetween(10, ids.length - 3);
    long[] target = tokenizer.encode("olleh");
    double loss;
    double lossIgnoringPrompt;
    try (Trainer t = new Trainer(TrainingSpec.defaults(c, false, TrainingSpec.Scope.ALL), w)) {
      loss = t.evaluate(List.of(TrainingBatch.concatenated(List.of(ids), List.of(target), new int[] {prompt})));
      lossIgnoringPrompt = t.evaluate(List.of(TrainingBatch.concatenated(List.of(ids), List.of(target), new int[] {0})));
    }
    // The bias moves this score by far more than the tolerance below, so a runtime that marked no
    // prompt (or the wrong tokens) would fail.
    assertThat(Math.abs(loss - lossIgnoringPrompt) * target.length).isGreaterThan(0.05);
    try (HintModel model = HintModel.builder().modelDir(dir.resolve("m")).build();
        BoundTask reverse = model.bind(model.concatenationTask(instruction, shots));
        BoundTask copy = model.bind(model.concatenationTask("Copy the word.", List.of()))) {
      double nll = -reverse.score(input, "olleh");
      // float32 sums over a few tokens, grouped differently by the two pipelines.
      assertThat(loss * target.length).isCloseTo(nll, Offset.offset(1e-3 * (1 + nll)));
      GenerationConfig greedy = GenerationConfig.greedy(8);
      assertThat(model.generateMixed(List.of(reverse, copy), List.of(input, "ab"), greedy))
          .containsExactly(reverse.generate(input, greedy), copy.generate("ab", greedy));
    }
  }

  /** A manifest that disagrees with its graphs about the bias is refused at load, naming the prompt mask. */
  @Test
  void manifestAndGraphsMustAgreeOnTheBias(@TempDir Path dir) throws Exception {
    for (boolean bias : new boolean[] {true, false}) {
      Path m = dir.resolve("m" + bias);
      ModelExporter.export(HintWeights.random(with(bias), 4), VOCAB.toJson(), m, new ModelExporter.Options("m", "random", false));
      Path manifest = m.resolve(ModelManifest.FILE_NAME);
      ModelManifest read = ModelManifest.fromJson(Files.readString(manifest));
      ModelManifest flipped = new ModelManifest(read.formatVersion(), read.name(), read.description(),
          read.config().toBuilder().promptSegmentBias(!bias).build(), read.files(), read.moduleTensors());
      Files.writeString(manifest, flipped.toJson());
      assertThatThrownBy(() -> HintModel.builder().modelDir(m).build().close())
          .isInstanceOf(ModelLoadException.class).hasMessageContaining("encoder graph inputs").hasMessageContaining("prompt_mask");
    }
  }

  /** Copy or reverse a 2–5 letter word (letters a–h), each row with {@code shots} examples in its prompt. */
  static TrainingBatch batch(SplittableRandom r, int size, int shots) {
    List<long[]> inputs = new ArrayList<>();
    List<long[]> targets = new ArrayList<>();
    int[] prompt = new int[size];
    for (int i = 0; i < size; i++) {
      boolean reverse = r.nextBoolean();
      String instruction = reverse ? "Reverse the word." : "Copy the word.";
      List<Example> examples = new ArrayList<>();
      for (int k = 0; k < shots; k++) {
        String w = word(r);
        examples.add(Example.of(w, reverse ? new StringBuilder(w).reverse().toString() : w));
      }
      String w = word(r);
      long[] ids = tokenizer.encode(PromptFormat.concatenated(instruction, examples, w));
      prompt[i] = tokenizer.concatenationPromptTokens(ids, instruction, examples);
      inputs.add(ids);
      targets.add(tokenizer.encode(reverse ? new StringBuilder(w).reverse().toString() : w));
    }
    return TrainingBatch.concatenated(inputs, targets, prompt);
  }

  static String word(SplittableRandom r) {
    StringBuilder w = new StringBuilder();
    int len = 2 + r.nextInt(4);
    for (int k = 0; k < len; k++) {
      w.append((char) ('a' + r.nextInt(8)));
    }
    return w.toString();
  }

  /** The eval graph's mean loss of {@code batch} with the segment bias moved by {@code scale·direction}. */
}
