package dev.hint4j.onnx.runtime;

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
import dev.hint4j.TaskModule;
import dev.hint4j.internal.io.AtomicFiles;
import dev.hint4j.onnx.arch.HintGraphs;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.export.RandomModel;
import dev.hint4j.onnx.testing.GraphRunner;
import dev.hint4j.onnx.testing.GraphRunner.Longs;
import dev.hint4j.onnx.train.Trainer;
import dev.hint4j.tensor.FloatTensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A (random, tiny) model trained with pretrained instruction states exports, loads, compiles and
 * generates; compiling feeds the hypernetwork what training feeds it (the model's own tokens of
 * instruction + examples, and all-MiniLM-L6-v2's states of the stripped instruction sentence); a
 * wrong encoder artifact or name is refused at load. That the hypernetwork graph computes the
 * training forward's math is {@code PretrainedInferenceGraphsTest}.
 */
class PretrainedInstructionModelTest {
  static final long SEED = 21;

  static HintConfig withMiniLm(int vocab) {
    return HintConfig.tiny(vocab).toBuilder().pretrainedInstructionEncoder(MiniLmInstructionStates.encoder()).build();
  }

  @TempDir
  static Path tmp;
  static Path dir;
  static ModelManifest m;
  static MiniLmInstructionStates minilm;

  /** One export and one MiniLM for the class: each load of the 90 MB graph takes seconds. */
  @BeforeAll
  static void export() {
    dir = tmp.resolve("m");
    m = RandomModel.create(dir, PretrainedInstructionModelTest::withMiniLm, 0, SEED, false);
    minilm = new MiniLmInstructionStates(Trainer.CPU, 0);
  }

  @AfterAll
  static void close() {
    minilm.close();
  }

  @Test
  void exportsLoadsCompilesAndGeneratesAsTrainingFeedsIt() throws Exception {
    assertThat(m.pretrainedEncoderSha256()).isEqualTo(MiniLmInstructionStates.graphSha256());
    String instruction = "  Write the word backwards. ";
    List<Example> examples = List.of(Example.of("abc", "cba"));
    try (HintModel model = HintModel.builder().modelDir(dir).build()) {
      TaskModule task = model.compile(instruction, examples);
      long[] ids = model.tokenizer().encode(PromptFormat.taskText(instruction, examples));
      float[] states = minilm.states(List.of(instruction.strip())).get(0); // SuiteBatches' sentence: stripped, no examples
      int lm = states.length / MiniLmInstructionStates.WIDTH;
      FloatTensor mask = (FloatTensor) task.tensors().get("instruction_mask");
      assertThat(mask.shape()).containsExactly(1, ids.length + lm);

      Map<String, FloatTensor> expected;
      try (GraphRunner hyper = new GraphRunner(new HintGraphs(HintWeights.random(m.config(), SEED)).hypernetwork())) {
        Map<String, Object> in = new HashMap<>();
        in.put("instruction_ids", new Longs(new long[] {1, ids.length}, ids));
        in.put(HintGraphs.INSTRUCTION_TOKEN_MASK, ones(ids.length));
        in.put(HintGraphs.PRETRAINED_STATES, FloatTensor.wrap(new long[] {1, lm, MiniLmInstructionStates.WIDTH}, states));
        in.put(HintGraphs.PRETRAINED_MASK, ones(lm));
        expected = hyper.run(in);
      }
      for (String name : List.of("enc.0.adapter_down", "dec.0.cross_prefix_key", "instruction_cross_value.0")) {
        float[] got = task.tensors().get(name).toArray();
        float[] want = expected.get(name).toArray();
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < got.length; i++) {
          // Same graph, same feeds, another session: equal up to kernel scheduling (~1e-6).
          assertThat((double) got[i]).as("%s[%d]", name, i).isCloseTo(want[i], Offset.offset(1e-5 * (1 + Math.abs(want[i]))));
        }
      }
      // The states matter: the module of the same tokens with another sentence's states differs beyond that tolerance.
      float[] otherStates = minilm.states(List.of("The train leaves at nine.")).get(0);
      int lo = otherStates.length / MiniLmInstructionStates.WIDTH;
      try (GraphRunner hyper = new GraphRunner(new HintGraphs(HintWeights.random(m.config(), SEED)).hypernetwork())) {
        Map<String, Object> in = new HashMap<>();
        in.put("instruction_ids", new Longs(new long[] {1, ids.length}, ids));
        in.put(HintGraphs.INSTRUCTION_TOKEN_MASK, ones(ids.length));
        in.put(HintGraphs.PRETRAINED_STATES, FloatTensor.wrap(new long[] {1, lo, MiniLmInstructionStates.WIDTH}, otherStates));
        in.put(HintGraphs.PRETRAINED_MASK, ones(lo));
        float[] moved = hyper.run(in).get("enc.0.adapter_down").toArray();
        float[] got = task.tensors().get("enc.0.adapter_down").toArray();
        double maxDiff = 0;
        for (int i = 0; i < got.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(got[i] - moved[i]));
        }
        assertThat(maxDiff).isGreaterThan(1e-3);
      }

      GenerationConfig gen = GenerationConfig.greedy(6).withMinNewTokens(6);
      try (BoundTask bound = model.bind(task)) {
        List<String> out = bound.generateBatch(List.of("hello", "xy"), gen);
        assertThat(out).hasSize(2).allSatisfy(s -> assertThat(s).isNotNull());
        assertThat(bound.generate("hello", gen)).isEqualTo(out.get(0));
        assertThat(bound.score("hello", "olleh")).isFinite();
      }
    }
  }

  @Test
  void aWrongEncoderGraphIsRefusedAtLoad(@TempDir Path copyDir) throws Exception {
    try (var files = Files.list(PretrainedInstructionModelTest.dir)) {
      for (Path f : files.toList()) {
        Files.copy(f, copyDir.resolve(f.getFileName()));
      }
    }
    Path dir = copyDir;
    Path manifest = dir.resolve(ModelManifest.FILE_NAME);
    String json = Files.readString(manifest);
    String sha = MiniLmInstructionStates.graphSha256();
    AtomicFiles.write(manifest, json.replace(sha, "0".repeat(64)).getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build()).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(MiniLmInstructionStates.NAME).hasMessageContaining("SHA-256").hasMessageContaining("0".repeat(64));

    AtomicFiles.write(manifest, json.replace("\"pretrainedEncoderSha256\": \"" + sha + "\",", "")
        .replace(",\n  \"pretrainedEncoderSha256\": \"" + sha + "\"", "").getBytes(StandardCharsets.UTF_8));
    assertThat(Files.readString(manifest)).doesNotContain(sha);
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build()).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("lacks pretrainedEncoderSha256");

    AtomicFiles.write(manifest, json.replace("\"all-minilm-l6-v2\"", "\"some-other-encoder\"").getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> HintModel.builder().modelDir(dir).build()).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("some-other-encoder").hasMessageContaining("runs only " + MiniLmInstructionStates.NAME);
  }

  static FloatTensor ones(int n) {
    float[] a = new float[n];
    Arrays.fill(a, 1f);
    return FloatTensor.wrap(new long[] {1, n}, a);
  }
}
