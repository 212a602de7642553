package dev.hint4j.onnx.export;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hint4j.HintConfig;
import dev.hint4j.ModelLoadException;
import dev.hint4j.ModelManifest;
import dev.hint4j.internal.io.AtomicFiles;
import dev.hint4j.internal.io.SafeTensors;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.arch.WeightQuantization;
import dev.hint4j.tensor.FloatTensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Hugging Face T5 checkpoints in and out. Import reads {@code config.json}, {@code model.safetensors}
 * (or the shards of {@code model.safetensors.index.json}; F32, F16 or BF16) and
 * {@code tokenizer.json} of a T5 v1.1 / LM-adapted model ({@code feed_forward_proj} "gated-gelu"),
 * maps the encoder-decoder weights onto hint4j's names ({@link HfT5Naming}) and adds a
 * hypernetwork: freshly initialised from a seed, or taken from a hint4j checkpoint. Export writes
 * the encoder-decoder back in HF naming, so trained weights can go elsewhere.
 *
 * <p>A checkpoint with tied embeddings ({@code tie_word_embeddings} true, HF's default) imports
 * with the LM head that T5 computes for it: the transposed embedding (or {@code lm_head.weight}
 * when present) scaled by d_model^-1/2, which T5 applies to the decoder output in that case.
 */
public final class HfT5Checkpoint {
  /** The HINT sizes a T5 checkpoint does not carry. Defaults: adapters 64, prefixes 30, inputs 512, instructions 1024, answers 64. */
  public record Sizes(int adapterSize, int prefixLength, int maxInputLength, int maxInstructionLength, int maxTargetLength) {
    public static Sizes defaults() {
      return new Sizes(64, 30, 512, 1024, 64);
    }
  }

  private HfT5Checkpoint() {}

  /**
   * Imports {@code hfDir} as a hint4j model directory {@code outDir} (replaced atomically).
   *
   * @param hypernetwork a hint4j checkpoint (safetensors) whose {@code hyper.*} tensors to use, or
   *     null to initialise the hypernetwork from {@code seed}
   */
  public static ModelManifest importModel(Path hfDir, Path outDir, Sizes sizes, long seed, Path hypernetwork) {
    return importModel(hfDir, outDir, sizes, seed, hypernetwork, WeightQuantization.FLOAT32);
  }

  /** As above, with the encoder's and decoder's matmul weights stored as {@code weights} says. */
  public static ModelManifest importModel(Path hfDir, Path outDir, Sizes sizes, long seed, Path hypernetwork,
      WeightQuantization weights) {
    String tokenizerJson = readString(hfDir.resolve("tokenizer.json"));
    HintWeights w = read(hfDir, sizes, seed, hypernetwork == null ? null : SafeTensors.read(hypernetwork).tensors());
    String hyper = hypernetwork == null ? "hypernetwork freshly initialised (seed " + seed + "): train before use"
        : "hypernetwork from " + hypernetwork.getFileName();
    return ModelExporter.export(w, tokenizerJson, outDir, new ModelExporter.Options("hf-" + hfDir.getFileName(),
        "Hugging Face T5 weights from " + hfDir.getFileName() + "; " + hyper, true, true, weights));
  }

  /** The hint4j weights of a HF checkpoint directory (see the class comment). */
  public static HintWeights read(Path hfDir, Sizes sizes, long seed, Map<String, FloatTensor> hypernetwork) {
    JsonObject cfg = JsonParser.parseString(readString(hfDir.resolve("config.json"))).getAsJsonObject();
    HintConfig c = config(cfg, sizes, unkId(readString(hfDir.resolve("tokenizer.json"))));
    Map<String, FloatTensor> hf = tensors(hfDir);
    Map<String, FloatTensor> params = new LinkedHashMap<>(HintWeights.random(c, seed).asMap());
    Map<String, long[]> shapes = HintWeights.shapes(c);
    // T5 with tied embeddings scales the decoder output by d_model^-1/2 before the (shared) LM head.
    boolean tied = bool(cfg, "tie_word_embeddings", true);
    for (Map.Entry<String, HfT5Naming.HfName> e : HfT5Naming.table(c).entrySet()) {
      String ours = e.getKey();
      HfT5Naming.HfName name = e.getValue();
      FloatTensor t;
      if (ours.equals("lm_head") && tied) {
        FloatTensor head = hf.containsKey("lm_head.weight") ? hf.get("lm_head.weight") : require(hf, "shared.weight", hfDir);
        t = scaled(transpose(head), (float) (1 / Math.sqrt(c.dModel())));
      } else {
        FloatTensor raw = require(hf, name.name(), hfDir);
        t = name.transposed() ? transpose(raw) : raw;
      }
      if (!Arrays.equals(t.shape(), shapes.get(ours))) {
        throw new ModelLoadException(name.name() + " in " + hfDir + " has shape " + Arrays.toString(t.shape())
            + (name.transposed() ? " (transposed)" : "") + " but config.json implies " + Arrays.toString(shapes.get(ours)));
      }
      params.put(ours, t);
    }
    if (hypernetwork != null) {
      for (String name : shapes.keySet()) {
        if (name.startsWith("hyper.")) {
          FloatTensor t = hypernetwork.get(name);
          if (t == null || !Arrays.equals(t.shape(), shapes.get(name))) {
            throw new ModelLoadException("the hypernetwork checkpoint lacks " + name + " of shape "
                + Arrays.toString(shapes.get(name)) + " (it was trained for another config or sizes)");
          }
          params.put(name, t);
        }
      }
    }
    return new HintWeights(c, params);
  }

  /** hint4j's config for a HF T5 config.json; refuses what the architecture does not implement. */
  static HintConfig config(JsonObject cfg, Sizes sizes, int unkId) {
    String ffn = cfg.has("feed_forward_proj") ? cfg.get("feed_forward_proj").getAsString() : "relu";
    if (!ffn.equals("gated-gelu")) {
      throw new ModelLoadException("config.json has feed_forward_proj \"" + ffn + "\"; hint4j implements T5 v1.1's"
          + " \"gated-gelu\" (T5 v1.1, LM-adapted, Flan-T5 checkpoints)");
    }
    int pad = integer(cfg, "pad_token_id", 0);
    int start = integer(cfg, "decoder_start_token_id", pad);
    if (start != pad) {
      throw new ModelLoadException("config.json has decoder_start_token_id " + start + " != pad_token_id " + pad
          + "; hint4j starts decoding with the pad token, as T5 does");
    }
    int layers = integer(cfg, "num_layers", -1);
    return HintConfig.builder(integer(cfg, "vocab_size", -1))
        .dModel(integer(cfg, "d_model", -1))
        .numHeads(integer(cfg, "num_heads", -1))
        .headDim(integer(cfg, "d_kv", -1))
        .encoderLayers(layers)
        .decoderLayers(integer(cfg, "num_decoder_layers", layers))
        .ffnDim(integer(cfg, "d_ff", -1))
        .relativeBuckets(integer(cfg, "relative_attention_num_buckets", 32))
        .relativeMaxDistance(integer(cfg, "relative_attention_max_distance", 128))
        .adapterSize(sizes.adapterSize())
        .prefixLength(sizes.prefixLength())
        .layerNormEps(cfg.has("layer_norm_epsilon") ? cfg.get("layer_norm_epsilon").getAsDouble() : 1e-6)
        .maxInputLength(sizes.maxInputLength())
        .maxInstructionLength(sizes.maxInstructionLength())
        .maxTargetLength(sizes.maxTargetLength())
        .padId(pad)
        .eosId(integer(cfg, "eos_token_id", 1))
        .unkId(unkId)
        .build();
  }

  /**
   * Writes the encoder-decoder of {@code w} as a HF T5 checkpoint: {@code config.json},
   * {@code model.safetensors} in {@code dtype}, and {@code tokenizer.json}. The hypernetwork
   * stays behind (HF T5 has no place for it).
   */
  public static void export(HintWeights w, String tokenizerJson, Path outDir, SafeTensors.Dtype dtype) {
    HintConfig c = w.config();
    Map<String, FloatTensor> hf = new LinkedHashMap<>();
    for (Map.Entry<String, HfT5Naming.HfName> e : HfT5Naming.table(c).entrySet()) {
      FloatTensor t = w.get(e.getKey());
      hf.put(e.getValue().name(), e.getValue().transposed() ? transpose(t) : t);
    }
    JsonObject cfg = new JsonObject();
    cfg.add("architectures", JsonParser.parseString("[\"T5ForConditionalGeneration\"]"));
    cfg.addProperty("model_type", "t5");
    cfg.addProperty("vocab_size", c.vocabSize());
    cfg.addProperty("d_model", c.dModel());
    cfg.addProperty("d_kv", c.headDim());
    cfg.addProperty("d_ff", c.ffnDim());
    cfg.addProperty("num_layers", c.encoderLayers());
    cfg.addProperty("num_decoder_layers", c.decoderLayers());
    cfg.addProperty("num_heads", c.numHeads());
    cfg.addProperty("relative_attention_num_buckets", c.relativeBuckets());
    cfg.addProperty("relative_attention_max_distance", c.relativeMaxDistance());
    cfg.addProperty("layer_norm_epsilon", c.layerNormEps());
    cfg.addProperty("feed_forward_proj", "gated-gelu");
    cfg.addProperty("tie_word_embeddings", false);
    cfg.addProperty("is_encoder_decoder", true);
    cfg.addProperty("pad_token_id", c.padId());
    cfg.addProperty("eos_token_id", c.eosId());
    cfg.addProperty("decoder_start_token_id", c.decoderStartId());
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + outDir, e);
    }
    SafeTensors.write(outDir.resolve("model.safetensors"), hf, Map.of("format", "pt"), dtype);
    AtomicFiles.write(outDir.resolve("config.json"), new com.google.gson.GsonBuilder().setPrettyPrinting().create()
        .toJson(cfg).getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(outDir.resolve("tokenizer.json"), tokenizerJson.getBytes(StandardCharsets.UTF_8));
  }

  /** All tensors of the checkpoint: one file, or every shard the index names. */
  private static Map<String, FloatTensor> tensors(Path dir) {
    Path single = dir.resolve("model.safetensors");
    if (Files.exists(single)) {
      return SafeTensors.read(single).tensors();
    }
    Path index = dir.resolve("model.safetensors.index.json");
    if (!Files.exists(index)) {
      throw new ModelLoadException(dir + " has neither model.safetensors nor model.safetensors.index.json");
    }
    JsonObject map = JsonParser.parseString(readString(index)).getAsJsonObject().getAsJsonObject("weight_map");
    Map<String, FloatTensor> all = new LinkedHashMap<>();
    for (String shard : new TreeSet<>(map.entrySet().stream().map(e -> e.getValue().getAsString()).toList())) {
      Path file = dir.resolve(shard).normalize();
      if (!file.startsWith(dir.normalize())) {
        throw new ModelLoadException("the index names a shard outside " + dir + ": " + shard);
      }
      all.putAll(SafeTensors.read(file).tensors());
    }
    return all;
  }

  /** The unknown-token id of a tokenizer.json: Unigram's {@code unk_id}, or the id of the model's {@code unk_token}. */
  static int unkId(String tokenizerJson) {
    JsonObject model = JsonParser.parseString(tokenizerJson).getAsJsonObject().getAsJsonObject("model");
    if (model != null && model.has("unk_id") && !model.get("unk_id").isJsonNull()) {
      return model.get("unk_id").getAsInt();
    }
    if (model != null && model.has("unk_token") && model.has("vocab") && model.get("vocab").isJsonObject()) {
      JsonElement id = model.getAsJsonObject("vocab").get(model.get("unk_token").getAsString());
      if (id != null) {
        return id.getAsInt();
      }
    }
    throw new ModelLoadException("tokenizer.json names no unknown token (model.unk_id or model.unk_token)");
  }

  private static FloatTensor require(Map<String, FloatTensor> hf, String name, Path dir) {
    FloatTensor t = hf.get(name);
    if (t == null) {
      throw new ModelLoadException(dir + " lacks tensor " + name + " (is it a T5 v1.1 / LM-adapted checkpoint?)");
    }
    return t;
  }

  static FloatTensor transpose(FloatTensor t) {
    if (t.rank() != 2) {
      throw new ModelLoadException("expected a matrix, got shape " + Arrays.toString(t.shape()));
    }
    int rows = (int) t.dim(0);
    int cols = (int) t.dim(1);
    float[] out = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < cols; k++) {
        out[k * rows + r] = t.get(r * cols + k);
      }
    }
    return FloatTensor.wrap(new long[] {cols, rows}, out);
  }

  private static FloatTensor scaled(FloatTensor t, float s) {
    float[] a = t.toArray();
    for (int i = 0; i < a.length; i++) {
      a[i] *= s;
    }
    return FloatTensor.wrap(t.shape(), a);
  }

  private static int integer(JsonObject cfg, String key, int fallback) {
    if (cfg.has(key) && !cfg.get(key).isJsonNull()) {
      return cfg.get(key).getAsInt();
    }
    if (fallback < 0) {
      throw new ModelLoadException("config.json lacks " + key);
    }
    return fallback;
  }

  private static boolean bool(JsonObject cfg, String key, boolean fallback) {
    return cfg.has(key) && !cfg.get(key).isJsonNull() ? cfg.get(key).getAsBoolean() : fallback;
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
