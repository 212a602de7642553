package dev.hint4j.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.hint4j.BoundTask;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.ModelLoadException;
import dev.hint4j.internal.io.SafeTensors;
import dev.hint4j.internal.tokenize.TokenizerJsonWriter;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.tensor.FloatTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Import and export of Hugging Face T5 checkpoints. The checkpoints here are written by the test
 * itself, in the naming of transformers' {@code modeling_t5} (listed below independently of
 * {@link HfT5Naming}), with {@code nn.Linear}'s [out, in] layout.
 */
class HfT5CheckpointTest {
  static final TokenizerJsonWriter VOCAB = TokenizerJsonWriter.withWords(TokenizerJsonWriter.defaultWords());
  final HintConfig c = HintConfig.tiny(VOCAB.vocabSize());
  final HfT5Checkpoint.Sizes sizes = new HfT5Checkpoint.Sizes(c.adapterSize(), c.prefixLength(), c.maxInputLength(),
      c.maxInstructionLength(), c.maxTargetLength());

  /** HF name → [out, in] (or [rows, cols] for embeddings, norms, biases), as modeling_t5 names them. */
  Map<String, long[]> hfShapes(boolean withLmHead) {
    long d = c.dModel();
    long inner = c.innerDim();
    long ff = c.ffnDim();
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put("shared.weight", new long[] {c.vocabSize(), d});
    for (String stack : List.of("encoder", "decoder")) {
      int layers = stack.equals("encoder") ? c.encoderLayers() : c.decoderLayers();
      s.put(stack + ".block.0.layer.0.SelfAttention.relative_attention_bias.weight", new long[] {c.relativeBuckets(), c.numHeads()});
      for (int i = 0; i < layers; i++) {
        String b = stack + ".block." + i + ".layer.";
        List<String> attentions = stack.equals("encoder") ? List.of("0.SelfAttention") : List.of("0.SelfAttention", "1.EncDecAttention");
        for (String att : attentions) {
          for (String p : List.of("q", "k", "v")) {
            s.put(b + att + "." + p + ".weight", new long[] {inner, d});
          }
          s.put(b + att + ".o.weight", new long[] {d, inner});
        }
        int ffLayer = attentions.size();
        for (int l = 0; l <= ffLayer; l++) {
          s.put(b + l + ".layer_norm.weight", new long[] {d});
        }
        s.put(b + ffLayer + ".DenseReluDense.wi_0.weight", new long[] {ff, d});
        s.put(b + ffLayer + ".DenseReluDense.wi_1.weight", new long[] {ff, d});
        s.put(b + ffLayer + ".DenseReluDense.wo.weight", new long[] {d, ff});
      }
      s.put(stack + ".final_layer_norm.weight", new long[] {d});
    }
    if (withLmHead) {
      s.put("lm_head.weight", new long[] {c.vocabSize(), d});
    }
    return s;
  }

  /** Random tensors with bfloat16-exact values (k/64 for small k), so a BF16 file holds them exactly. */
  Map<String, FloatTensor> randomHf(Map<String, long[]> shapes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    shapes.forEach((name, shape) -> {
      float[] v = new float[(int) FloatTensor.elementCount(shape)];
      for (int i = 0; i < v.length; i++) {
        v[i] = (r.nextInt(255) - 127) / 64f;
      }
      t.put(name, FloatTensor.of(shape, v));
    });
    return t;
  }

  void writeCheckpoint(Path dir, Map<String, FloatTensor> tensors, String ffn, boolean tied) throws IOException {
    Files.createDirectories(dir);
    SafeTensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"), SafeTensors.Dtype.BF16);
    JsonObject cfg = new JsonObject();
    cfg.addProperty("model_type", "t5");
    cfg.addProperty("vocab_size", c.vocabSize());
    cfg.addProperty("d_model", c.dModel());
    cfg.addProperty("d_kv", c.headDim());
    cfg.addProperty("d_ff", c.ffnDim());
    cfg.addProperty("num_layers", c.encoderLayers());
    cfg.addProperty("num_heads", c.numHeads());
    cfg.addProperty("relative_attention_num_buckets", c.relativeBuckets());
    cfg.addProperty("relative_attention_max_distance", c.relativeMaxDistance());
    cfg.addProperty("feed_forward_proj", ffn);
    cfg.addProperty("tie_word_embeddings", tied);
    cfg.addProperty("decoder_start_token_id", 0);
    Files.writeString(dir.resolve("config.json"), cfg.toString());
    Files.writeString(dir.resolve("tokenizer.json"), VOCAB.toJson());
  }

  static float at(FloatTensor t, int row, int col) {
    return t.get(row * (int) t.dim(1) + col);
  }

  @Test
  void importsEveryHfTensorIntoItsPlaceTransposingLinearWeights(@TempDir Path dir) throws IOException {
    Map<String, long[]> shapes = hfShapes(true);
    Map<String, FloatTensor> hf = randomHf(shapes, 1);
    writeCheckpoint(dir, hf, "gated-gelu", false);
    HintWeights w = HfT5Checkpoint.read(dir, sizes, 7, null);

    // The naming table covers exactly the tensors modeling_t5 has (this test's own list).
    assertThat(HfT5Naming.table(c).values().stream().map(HfT5Naming.HfName::name)).containsExactlyInAnyOrderElementsOf(shapes.keySet());
    // Spot checks of places, in both stacks and in the cross-attention and feed-forward of a later decoder layer.
    FloatTensor crossK = hf.get("decoder.block.1.layer.1.EncDecAttention.k.weight"); // [inner, d]
    FloatTensor ours = w.get("decoder.layers.1.cross_attn.k");                      // [d, inner]
    for (int o = 0; o < c.innerDim(); o++) {
      for (int i = 0; i < c.dModel(); i++) {
        assertThat(at(ours, i, o)).isEqualTo(at(crossK, o, i));
      }
    }
    assertThat(w.get("decoder.layers.1.ffn.wi_0")).isEqualTo(HfT5Checkpoint.transpose(hf.get("decoder.block.1.layer.2.DenseReluDense.wi_0.weight")));
    assertThat(w.get("encoder.layers.1.ffn.wo")).isEqualTo(HfT5Checkpoint.transpose(hf.get("encoder.block.1.layer.1.DenseReluDense.wo.weight")));
    assertThat(w.get("decoder.layers.0.cross_norm")).isEqualTo(hf.get("decoder.block.0.layer.1.layer_norm.weight"));
    assertThat(w.get("decoder.layers.0.ffn_norm")).isEqualTo(hf.get("decoder.block.0.layer.2.layer_norm.weight"));
    assertThat(w.get("encoder.rel_bias")).isEqualTo(hf.get("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"));
    assertThat(w.get("shared.embedding")).isEqualTo(hf.get("shared.weight"));
    assertThat(w.get("lm_head")).isEqualTo(HfT5Checkpoint.transpose(hf.get("lm_head.weight")));
    // The hypernetwork is the seeded initialisation.
    assertThat(w.get("hyper.attn.q")).isEqualTo(HintWeights.random(w.config(), 7).get("hyper.attn.q"));
    assertThat(w.config()).isEqualTo(c);
  }

  @Test
  void tiedEmbeddingsGiveTheScaledSharedMatrixAsLmHead(@TempDir Path dir) throws IOException {
    Map<String, FloatTensor> hf = randomHf(hfShapes(false), 2);
    writeCheckpoint(dir, hf, "gated-gelu", true);
    FloatTensor head = HfT5Checkpoint.read(dir, sizes, 1, null).get("lm_head");
    FloatTensor shared = hf.get("shared.weight");
    float scale = (float) (1 / Math.sqrt(c.dModel()));
    for (int v = 0; v < c.vocabSize(); v += 7) {
      for (int i = 0; i < c.dModel(); i++) {
        assertThat(at(head, i, v)).isEqualTo(at(shared, v, i) * scale);
      }
    }
  }

  @Test
  void exportRoundTripsAndTheImportedModelRuns(@TempDir Path dir) throws IOException {
    HintWeights trained = HintWeights.random(c, 4);
    HfT5Checkpoint.export(trained, VOCAB.toJson(), dir.resolve("hf"), SafeTensors.Dtype.F32);
    Map<String, FloatTensor> hypernetwork = new LinkedHashMap<>();
    trained.asMap().forEach((k, v) -> {
      if (k.startsWith("hyper.")) {
        hypernetwork.put(k, v);
      }
    });
    HintWeights back = HfT5Checkpoint.read(dir.resolve("hf"), sizes, 99, hypernetwork);
    assertThat(back.asMap()).isEqualTo(trained.asMap()); // bit for bit, hypernetwork included

    SafeTensors.write(dir.resolve("hyper.safetensors"), hypernetwork, Map.of());
    HfT5Checkpoint.importModel(dir.resolve("hf"), dir.resolve("model"), sizes, 0, dir.resolve("hyper.safetensors"));
    // The imported model answers exactly as the same weights exported directly do.
    ModelExporter.export(trained, VOCAB.toJson(), dir.resolve("direct"), new ModelExporter.Options("direct", "same weights", false));
    dev.hint4j.GenerationConfig eight = dev.hint4j.GenerationConfig.greedy(8).withMinNewTokens(8);
    try (HintModel model = HintModel.builder().modelDir(dir.resolve("model")).build();
        BoundTask task = model.bind(model.compile("Copy the word."));
        HintModel direct = HintModel.builder().modelDir(dir.resolve("direct")).build();
        BoundTask same = direct.bind(direct.compile("Copy the word."))) {
      String answer = task.generate("lamp", eight);
      assertThat(answer).isEqualTo(same.generate("lamp", eight));
      assertThat(task.score("lamp", "lamp")).isEqualTo(same.score("lamp", "lamp"));
      assertThat(model.manifest().description()).contains("hypernetwork from hyper.safetensors");
    }
  }

  /** An imported checkpoint goes straight into the trainer, here training only its fresh hypernetwork. */
  @Test
  void importedWeightsAreReadyForTheTrainer(@TempDir Path dir) throws IOException {
    writeCheckpoint(dir, randomHf(hfShapes(true), 6), "gated-gelu", false);
    HintWeights imported = HfT5Checkpoint.read(dir, sizes, 3, null);
    dev.hint4j.onnx.train.TrainingSpec spec = dev.hint4j.onnx.train.TrainingSpec.defaults(imported.config(), true,
        dev.hint4j.onnx.train.TrainingSpec.Scope.HYPERNETWORK_ONLY);
    dev.hint4j.onnx.train.TrainingBatch batch = new dev.hint4j.onnx.train.TrainingBatch(
        List.of(new long[] {5, 6, 7, 1}), List.of(new long[] {8, 9, 1}), List.of(new long[] {9, 8, 1}));
    try (dev.hint4j.onnx.train.Trainer t = new dev.hint4j.onnx.train.Trainer(spec, imported)) {
      dev.hint4j.onnx.train.Trainer.StepResult r = t.step(batch, 1e-3);
      assertThat(r.loss()).isFinite().isPositive();
      assertThat(t.weights(imported).get("shared.embedding")).isEqualTo(imported.get("shared.embedding")); // frozen
      assertThat(t.weights(imported).get("hyper.attn.q")).isNotEqualTo(imported.get("hyper.attn.q"));      // trained
    }
  }

  @Test
  void readsShardedCheckpoints(@TempDir Path dir) throws IOException {
    Map<String, FloatTensor> hf = randomHf(hfShapes(true), 3);
    writeCheckpoint(dir, hf, "gated-gelu", false);
    Files.delete(dir.resolve("model.safetensors"));
    Map<String, FloatTensor> first = new LinkedHashMap<>();
    Map<String, FloatTensor> second = new LinkedHashMap<>();
    JsonObject map = new JsonObject();
    List<String> names = new ArrayList<>(hf.keySet());
    for (int i = 0; i < names.size(); i++) {
      boolean one = i < names.size() / 2;
      (one ? first : second).put(names.get(i), hf.get(names.get(i)));
      map.addProperty(names.get(i), one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
    }
    SafeTensors.write(dir.resolve("model-00001-of-00002.safetensors"), first, Map.of());
    SafeTensors.write(dir.resolve("model-00002-of-00002.safetensors"), second, Map.of());
    JsonObject index = new JsonObject();
    index.add("weight_map", map);
    Files.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
    assertThat(HfT5Checkpoint.read(dir, sizes, 1, null).get("lm_head"))
        .isEqualTo(HfT5Checkpoint.transpose(hf.get("lm_head.weight")));
  }

  @Test
  void refusesWhatTheArchitectureDoesNotImplementWithAMessage(@TempDir Path dir) throws IOException {
    Map<String, FloatTensor> hf = randomHf(hfShapes(true), 5);
    writeCheckpoint(dir.resolve("relu"), hf, "relu", false);
    assertThatThrownBy(() -> HfT5Checkpoint.read(dir.resolve("relu"), sizes, 1, null))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("gated-gelu");

    Map<String, FloatTensor> missing = new LinkedHashMap<>(hf);
    missing.remove("decoder.block.1.layer.2.DenseReluDense.wo.weight");
    writeCheckpoint(dir.resolve("missing"), missing, "gated-gelu", false);
    assertThatThrownBy(() -> HfT5Checkpoint.read(dir.resolve("missing"), sizes, 1, null))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("decoder.block.1.layer.2.DenseReluDense.wo.weight");

    Map<String, FloatTensor> wrong = new LinkedHashMap<>(hf);
    wrong.put("encoder.block.0.layer.1.DenseReluDense.wi_0.weight", FloatTensor.zeros(c.dModel(), c.ffnDim())); // not [ff, d]
    writeCheckpoint(dir.resolve("wrong"), wrong, "gated-gelu", false);
    assertThatThrownBy(() -> HfT5Checkpoint.read(dir.resolve("wrong"), sizes, 1, null))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("wi_0").hasMessageContaining("shape");
  }
}
