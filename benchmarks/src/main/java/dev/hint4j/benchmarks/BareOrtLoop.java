package dev.hint4j.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import dev.hint4j.examples.Quickstart;
import dev.hint4j.tensor.FloatTensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX Runtime calls one greedy generation needs, written by hand against {@code OrtSession}
 * with everything prepared in advance: one encoder run, then one decoder run per output token with
 * the self-attention cache fed back, the next token picked straight from the logits buffer.
 * What {@code BoundTask.generate} costs beyond this loop (tokenizing, validation, feeds, copying
 * logits to Java, decoding text) is hint4j's Java-call overhead.
 */
final class BareOrtLoop implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
  private final OrtSession encoder;
  private final OrtSession decoder;
  private final HintConfig config;
  private final Map<String, OnnxTensor> module = new HashMap<>();
  private final OnnxTensor inputIds;
  private final OnnxTensor inputMask;

  /** Sessions with hint4j's options (all graph optimizations, sequential, the same threads), the task's module, one input. */
  BareOrtLoop(String modelName, HintModel model, TaskModule task, long[] input, int intraOpThreads) throws OrtException {
    this(modelName, model, task, input, intraOpThreads, Map.of());
  }

  /** @param sessionConfig extra ONNX Runtime session config entries, for experiments ({@link SessionOptionsBench}) */
  BareOrtLoop(String modelName, HintModel model, TaskModule task, long[] input, int intraOpThreads,
      Map<String, String> sessionConfig) throws OrtException {
    config = model.config();
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    if (intraOpThreads > 0) {
      options.setIntraOpNumThreads(intraOpThreads);
    }
    if (System.getProperty("hint4j.ortProfile") != null) { // ONNX Runtime's per-node profile, for the report
      options.enableProfiling(System.getProperty("hint4j.ortProfile"));
    }
    for (Map.Entry<String, String> e : sessionConfig.entrySet()) {
      options.addConfigEntry(e.getKey(), e.getValue());
    }
    encoder = open(modelName, model.manifest().files().get("encoder").file());
    decoder = open(modelName, model.manifest().files().get("decoder").file());
    for (Map.Entry<String, FloatTensor> e : task.tensors().entrySet()) {
      module.put(e.getKey(), floats(e.getValue().buffer(), e.getValue().shape()));
    }
    long[] shape = {1, input.length};
    inputIds = OnnxTensor.createTensor(env, LongBuffer.wrap(input), shape);
    float[] ones = new float[input.length];
    java.util.Arrays.fill(ones, 1f);
    inputMask = floats(FloatBuffer.wrap(ones), shape);
  }

  private OrtSession open(String modelName, String file) throws OrtException {
    if (modelName.equals(BenchModels.DEMO)) {
      try (InputStream in = BareOrtLoop.class.getClassLoader().getResourceAsStream(Quickstart.DEMO_MODEL + "/" + file)) {
        return env.createSession(in.readAllBytes(), options);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return env.createSession(BenchModels.ensure(modelName).resolve(file).toString(), options);
  }

  /** Generates {@code tokens} tokens greedily (no early stop); returns the last token. */
  long generate(int tokens) throws OrtException {
    return decode(inputIds, inputMask, tokens, null, null);
  }

  /**
   * The logits of every step: step 0 reads the start token, step t the token {@code forced[t−1]}
   * (teacher forcing), or the previous step's argmax where {@code forced} is null (greedy).
   */
  float[][] stepLogits(long[] input, int tokens, long[] forced) throws OrtException {
    float[][] out = new float[tokens][];
    long[] shape = {1, input.length};
    float[] ones = new float[input.length];
    java.util.Arrays.fill(ones, 1f);
    try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(input), shape);
        OnnxTensor mask = floats(FloatBuffer.wrap(ones), shape)) {
      decode(ids, mask, tokens, forced, out);
    }
    return out;
  }

  private long decode(OnnxTensor inputIds, OnnxTensor inputMask, int tokens, long[] forced, float[][] logitsOut)
      throws OrtException {
    Map<String, OnnxTensor> encIn = new HashMap<>();
    encIn.put("input_ids", inputIds);
    encIn.put("input_mask", inputMask);
    for (String n : encoder.getInputNames()) {
      if (module.containsKey(n)) {
        encIn.put(n, module.get(n));
      }
    }
    Set<String> decoderInputs = decoder.getInputNames();
    try (OrtSession.Result enc = encoder.run(encIn)) {
      Map<String, OnnxTensor> feeds = new HashMap<>();
      if (decoderInputs.contains("input_mask")) { // exports before the score biases moved to the encoder
        feeds.put("input_mask", inputMask);
      }
      for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : enc) {
        if (decoderInputs.contains(e.getKey())) {
          feeds.put(e.getKey(), (OnnxTensor) e.getValue());
        }
      }
      for (String n : decoderInputs) {
        if (module.containsKey(n)) {
          feeds.put(n, module.get(n));
        }
      }
      int h = config.numHeads();
      int dh = config.headDim();
      OnnxTensor[] empty = new OnnxTensor[2 * config.decoderLayers()];
      for (int j = 0; j < config.decoderLayers(); j++) {
        empty[2 * j] = floats(FloatBuffer.allocate(0), new long[] {1, h, dh, 0});
        empty[2 * j + 1] = floats(FloatBuffer.allocate(0), new long[] {1, h, 0, dh});
        feeds.put("past_key." + j, empty[2 * j]);
        feeds.put("past_value." + j, empty[2 * j + 1]);
      }
      long token = config.decoderStartId();
      OrtSession.Result previous = null;
      try {
        for (int step = 0; step < tokens; step++) {
          try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {token}), new long[] {1, 1})) {
            feeds.put("decoder_input_ids", ids);
            OrtSession.Result r = decoder.run(feeds);
            FloatBuffer logits = ((OnnxTensor) r.get("logits").orElseThrow()).getFloatBuffer();
            token = forced != null ? forced[step] : argmax(logits);
            if (logitsOut != null) {
              logitsOut[step] = new float[logits.remaining()];
              logits.get(logitsOut[step]);
            }
            for (int j = 0; j < config.decoderLayers(); j++) {
              feeds.put("past_key." + j, (OnnxTensor) r.get("present_key." + j).orElseThrow());
              feeds.put("past_value." + j, (OnnxTensor) r.get("present_value." + j).orElseThrow());
            }
            if (previous != null) {
              previous.close();
            }
            previous = r;
          }
        }
      } finally {
        if (previous != null) {
          previous.close();
        }
        for (OnnxTensor t : empty) {
          t.close();
        }
      }
      return token;
    }
  }

  static long argmax(FloatBuffer logits) {
    int best = 0;
    for (int i = 1; i < logits.limit(); i++) {
      if (logits.get(i) > logits.get(best)) {
        best = i;
      }
    }
    return best;
  }

  private OnnxTensor floats(FloatBuffer data, long[] shape) throws OrtException {
    FloatBuffer direct = ByteBuffer.allocateDirect(data.remaining() * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    direct.put(data.duplicate()).rewind();
    return OnnxTensor.createTensor(env, direct, shape);
  }

  @Override
  public void close() throws OrtException {
    module.values().forEach(OnnxTensor::close);
    inputIds.close();
    inputMask.close();
    encoder.close();
    decoder.close();
    options.close();
  }
}
