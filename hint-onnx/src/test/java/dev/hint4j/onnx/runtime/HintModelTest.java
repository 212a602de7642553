package dev.hint4j.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.BoundTask;
import dev.hint4j.Example;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.IncompatibleModuleException;
import dev.hint4j.InvalidInputException;
import dev.hint4j.LengthPolicy;
import dev.hint4j.PromptFormat;
import dev.hint4j.TaskModule;
import dev.hint4j.onnx.reference.ReferenceHint;
import dev.hint4j.onnx.testing.TinyModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The public API over a tiny random model, checked against the reference and against itself. */
class HintModelTest {
  @AutoClose static final HintModel model = TinyModel.open();
  // Fixed-length generations so outputs are long enough to differ when something is wrong.
  static final GenerationConfig GREEDY = GenerationConfig.greedy(8).withMinNewTokens(8);

  @Test
  void compileIsDeterministicAndIdentifiesTheTask() {
    TaskModule a = model.compile("Reverse the word.", List.of(Example.of("abc", "cba")));
    TaskModule b = model.compile("Reverse the word.", List.of(Example.of("abc", "cba")));
    TaskModule c = model.compile("Reverse the word.");
    assertThat(a).isEqualTo(b);
    assertThat(a.tensors()).isEqualTo(b.tensors());
    assertThat(a.id()).isEqualTo(b.id()).isNotEqualTo(c.id()).isEqualTo(model.taskId("Reverse the word.", List.of(Example.of("abc", "cba"))));
    assertThat(a.tensors()).isNotEqualTo(c.tensors());
  }

  /** The whole pipeline (tokenizer, module, encoder, cached decoding) scores as the float64 reference does. */
  @Test
  void scoreMatchesReferenceLogLikelihood() {
    String instruction = "Sort the letters.";
    TaskModule task = model.compile(instruction);
    ReferenceHint ref = new ReferenceHint(model.config(), TinyModel.weights().asMap());
    long[] instr = model.tokenizer().encode(PromptFormat.taskText(instruction, List.of()));
    long[] input = model.tokenizer().encode("dcba");
    long[] target = model.tokenizer().encode("abcd");
    long[] decoderIn = new long[target.length];
    System.arraycopy(target, 0, decoderIn, 1, target.length - 1);
    double[][] logits = ref.decoderLogits(input, ref.hypernetwork(instr), decoderIn);
    double expected = 0;
    for (int t = 0; t < target.length; t++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double l : logits[t]) {
        max = Math.max(max, l);
      }
      double z = 0;
      for (double l : logits[t]) {
        z += Math.exp(l - max);
      }
      expected += logits[t][(int) target[t]] - max - Math.log(z);
    }
    try (BoundTask bound = model.bind(task)) {
      // Summed over a handful of tokens; each log-prob carries the graph tolerance (2e-4 relative).
      assertThat(bound.score("dcba", "abcd")).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3 * (1 + Math.abs(expected))));
    }
  }

  @Test
  void mixedTaskBatchEqualsOneByOne() {
    TaskModule t1 = model.compile("Reverse the word.");
    TaskModule t2 = model.compile("Replace every vowel with a star.", List.of(Example.of("banana", "b*n*n*")));
    TaskModule t3 = model.concatenationTask("Uppercase the word.", List.of());
    List<String> inputs = List.of("hello", "a", "strawberry pie", "xyz", "qq");
    try (BoundTask b1 = model.bind(t1); BoundTask b2 = model.bind(t2); BoundTask b3 = model.bind(t3)) {
      List<BoundTask> rows = List.of(b1, b2, b3, b2, b1);
      List<String> mixed = model.generateMixed(rows, inputs, GREEDY);
      List<String> single = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        single.add(rows.get(i).generate(inputs.get(i), GREEDY));
      }
      assertThat(mixed).isEqualTo(single);
      assertThat(b1.generateBatch(inputs, GREEDY)).containsExactlyElementsOf(
          inputs.stream().map(in -> b1.generate(in, GREEDY)).toList());
      // Pooled buffers are reused across calls: a second mixed batch (over buffers the first one
      // gave back) and one after a task is re-bound still give the same answers.
      assertThat(model.generateMixed(rows, inputs, GREEDY)).isEqualTo(single);
      b3.close();
      try (BoundTask b3again = model.bind(t3)) {
        assertThat(model.generateMixed(List.of(b1, b2, b3again, b2, b1), inputs, GREEDY)).isEqualTo(single);
      }
      // A closed task in a mixed batch is refused, not read after its tensors were freed.
      assertThatThrownBy(() -> model.generateMixed(rows, inputs, GREEDY)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void decodingStrategies() {
    try (BoundTask bound = model.bind(model.compile("Count the letters."))) {
      String greedy = bound.generate("abcabc", GREEDY);
      assertThat(bound.generate("abcabc", GenerationConfig.beam(1, 8).withMinNewTokens(8))).isEqualTo(greedy);
      String beam = bound.generate("abcabc", GenerationConfig.beam(4, 8));
      assertThat(bound.generate("abcabc", GenerationConfig.beam(4, 8))).isEqualTo(beam);
      GenerationConfig s1 = GenerationConfig.sampling(8, 1.0, 0, 1.0, 123).withMinNewTokens(8);
      assertThat(bound.generate("abcabc", s1)).isEqualTo(bound.generate("abcabc", s1));
      List<String> draws = new ArrayList<>();
      for (long seed = 0; seed < 5; seed++) {
        draws.add(bound.generate("abcabc", GenerationConfig.sampling(8, 1.0, 0, 1.0, seed).withMinNewTokens(8)));
      }
      assertThat(draws).as("different seeds give different samples").doesNotHaveDuplicates();
      StringBuilder streamed = new StringBuilder();
      String text = bound.generate("abcabc", GREEDY, (row, id, delta) -> streamed.append(delta));
      assertThat(streamed.toString()).isEqualTo(text).isEqualTo(greedy);
    }
  }

  @Test
  void modulesSurviveSerialization() {
    TaskModule task = model.compile("Reverse the word.", List.of(Example.of("ab", "ba")));
    TaskModule back = TaskModule.fromBytes(task.toBytes(), model.fingerprint());
    assertThat(back).isEqualTo(task);
    try (BoundTask a = model.bind(task); BoundTask b = model.bind(back)) {
      assertThat(b.generate("hello", GREEDY)).isEqualTo(a.generate("hello", GREEDY));
    }
    assertThatThrownBy(() -> TaskModule.fromBytes(task.toBytes(), "0".repeat(64)))
        .isInstanceOf(IncompatibleModuleException.class).hasMessageContaining(model.fingerprint());
  }

  @Test
  void badInputsGetTypedExceptions() {
    assertThatThrownBy(() -> model.compile("  ")).isInstanceOf(InvalidInputException.class).hasMessageContaining("instruction");
    try (BoundTask bound = model.bind(model.compile("Reverse."))) {
      assertThatThrownBy(() -> bound.generate(null)).isInstanceOf(InvalidInputException.class);
      String tooLong = "word ".repeat(model.config().maxInputLength() + 10);
      assertThatThrownBy(() -> bound.generate(tooLong)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("limit of " + model.config().maxInputLength());
      assertThatThrownBy(() -> GenerationConfig.greedy(0)).isInstanceOf(InvalidInputException.class);
      bound.close();
      bound.close(); // idempotent
      assertThatThrownBy(() -> bound.generate("x")).isInstanceOf(IllegalStateException.class);
    }
    try (HintModel truncating = HintModel.builder().modelDir(TinyModel.dir()).lengthPolicy(LengthPolicy.TRUNCATE).build();
        BoundTask bound = truncating.bind(truncating.compile("Reverse."))) {
      // 200 one-token words keep their first maxInputLength - 1 (and EOS): the answer to exactly those.
      int kept = truncating.config().maxInputLength() - 1;
      assertThat(bound.generate("x ".repeat(200), GREEDY)).isEqualTo(bound.generate("x ".repeat(kept), GREEDY));
    }
  }

  @Test
  void concurrentCallersGetTheSerialAnswers() throws Exception {
    TaskModule task = model.compile("Reverse the word.");
    List<String> inputs = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta");
    try (BoundTask bound = model.bind(task)) {
      List<String> serial = inputs.stream().map(in -> bound.generate(in, GREEDY)).toList();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<String>> futures = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
          for (String in : inputs) {
            futures.add(pool.submit(() -> bound.generate(in, GREEDY)));
          }
        }
        for (int i = 0; i < futures.size(); i++) {
          assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(serial.get(i % inputs.size()));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void closedModelRefusesWork() {
    HintModel m = HintModel.builder().modelDir(TinyModel.dir()).build();
    TaskModule task = m.compile("Reverse.");
    m.close();
    m.close();
    assertThatThrownBy(() -> m.compile("Reverse.")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> m.bind(task)).isInstanceOf(IllegalStateException.class);
  }

}
