package dev.hint4j.onnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.hint4j.HintConfig;
import dev.hint4j.InferenceException;
import dev.hint4j.InvalidInputException;
import dev.hint4j.onnx.arch.HintGraphs;
import dev.hint4j.spi.DecodeState;
import dev.hint4j.tensor.FloatTensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A batch being decoded on ONNX Runtime: the encoder's cross-attention keys/values of the inputs
 * and the decoder's score biases (computed once), the module tensors (shared with the bound module, or stacked for a mixed
 * batch), and the self-attention cache, which each step's outputs replace without copying.
 */
final class OrtDecodeState implements DecodeState {
  private final OrtBackend backend;
  private final int batch;
  private final int vocab;
  private final int layers;
  private final Map<String, OnnxTensor> fixedFeeds = new HashMap<>(); // encoder outputs, module tensors (input mask for older exports)
  private final List<AutoCloseable> owned = new ArrayList<>();
  private OrtSession.Result encoderResult;
  private Map<String, OnnxTensor> past = new HashMap<>();
  private final List<OnnxTensor> ownedPast = new ArrayList<>();
  private OrtSession.Result lastStep;
  private boolean closed;

  private OrtDecodeState(OrtBackend backend, int batch) {
    this.backend = backend;
    this.batch = batch;
    HintConfig c = backend.manifest().config();
    this.vocab = c.vocabSize();
    this.layers = c.decoderLayers();
  }

  static OrtDecodeState start(OrtBackend backend, List<OrtBoundModule> modules, List<long[]> inputIds, int[] promptTokens) {
    OrtDecodeState s = new OrtDecodeState(backend, inputIds.size());
    try {
      s.encode(modules, inputIds, promptTokens);
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void encode(List<OrtBoundModule> modules, List<long[]> inputIds, int[] promptTokens) {
    HintConfig c = backend.manifest().config();
    int maxLen = 0;
    for (long[] ids : inputIds) {
      if (ids.length == 0) {
        throw new InvalidInputException("an input tokenized to no tokens");
      }
      maxLen = Math.max(maxLen, ids.length);
    }
    long[] ids = new long[batch * maxLen];
    float[] mask = new float[batch * maxLen];
    java.util.Arrays.fill(ids, c.padId());
    for (int b = 0; b < batch; b++) {
      long[] row = inputIds.get(b);
      System.arraycopy(row, 0, ids, b * maxLen, row.length);
      java.util.Arrays.fill(mask, b * maxLen, b * maxLen + row.length, 1f);
    }
    long[] shape = {batch, maxLen};
    OnnxTensor idsT = own(Tensors.longs(backend.env(), ids, shape));
    OnnxTensor maskT = own(Tensors.floats(backend.env(), FloatBuffer.wrap(mask), shape, mask.length));
    Map<String, OnnxTensor> moduleFeeds = moduleFeeds(modules);

    Map<String, OnnxTensor> encIn = new HashMap<>();
    encIn.put("input_ids", idsT);
    encIn.put("input_mask", maskT);
    if (backend.readsPromptMask()) {
      float[] prompt = new float[batch * maxLen];
      for (int b = 0; b < batch; b++) {
        java.util.Arrays.fill(prompt, b * maxLen, b * maxLen + promptTokens[b], 1f);
      }
      encIn.put(HintGraphs.PROMPT_MASK, own(Tensors.floats(backend.env(), FloatBuffer.wrap(prompt), shape, prompt.length)));
    }
    for (String n : backend.encoderModuleInputs()) {
      encIn.put(n, moduleFeeds.get(n));
    }
    Set<String> wanted = backend.encoderToDecoder();
    try {
      encoderResult = backend.encoderSession().run(encIn, wanted);
    } catch (OrtException e) {
      throw new InferenceException("encoder run failed (" + e.getCode() + "): " + e.getMessage(), e);
    }
    for (String n : wanted) {
      fixedFeeds.put(n, (OnnxTensor) encoderResult.get(n).orElseThrow());
    }
    for (String n : backend.decoderModuleInputs()) {
      fixedFeeds.put(n, moduleFeeds.get(n));
    }
    int h = c.numHeads();
    int dh = c.headDim();
    for (int j = 0; j < layers; j++) {
      past.put("past_key." + j, ownPast(Tensors.floats(backend.env(), FloatBuffer.allocate(0), new long[] {batch, h, dh, 0}, 0)));
      past.put("past_value." + j, ownPast(Tensors.floats(backend.env(), FloatBuffer.allocate(0), new long[] {batch, h, 0, dh}, 0)));
    }
  }

  /** One task for the whole batch: its bound tensors broadcast. Several: stack (and pad) per row. */
  private Map<String, OnnxTensor> moduleFeeds(List<OrtBoundModule> modules) {
    Set<String> names = new HashSet<>(backend.encoderModuleInputs());
    names.addAll(backend.decoderModuleInputs());
    Map<String, OnnxTensor> feeds = new HashMap<>();
    boolean shared = modules.stream().allMatch(m -> m == modules.get(0));
    for (String n : names) {
      if (shared) {
        feeds.put(n, modules.get(0).tensor(n));
      } else {
        List<FloatTensor> rows = new ArrayList<>();
        for (OrtBoundModule m : modules) {
          rows.add(m.module().tensor(n));
        }
        feeds.put(n, own(Tensors.stacked(backend.env(), rows, backend.paddedAxis(n))).tensor());
      }
    }
    return feeds;
  }

  @Override
  public int batchSize() {
    return batch;
  }

  @Override
  public int vocabSize() {
    return vocab;
  }

  @Override
  public float[] step(long[][] tokens) {
    requireOpen();
    if (tokens.length != batch) {
      throw new InvalidInputException("step needs " + batch + " rows of tokens, got " + tokens.length);
    }
    int t = tokens[0].length;
    long[] flat = new long[batch * t];
    for (int b = 0; b < batch; b++) {
      if (tokens[b].length != t) {
        throw new InvalidInputException("every row must add the same number of tokens");
      }
      System.arraycopy(tokens[b], 0, flat, b * t, t);
    }
    try (OnnxTensor ids = Tensors.longs(backend.env(), flat, new long[] {batch, t})) {
      Map<String, OnnxTensor> in = new HashMap<>(fixedFeeds);
      in.putAll(past);
      in.put("decoder_input_ids", ids);
      OrtSession.Result r = backend.decoderSession().run(in);
      float[] logits = Tensors.toArray((OnnxTensor) r.get("logits").orElseThrow());
      Map<String, OnnxTensor> next = new HashMap<>();
      for (int j = 0; j < layers; j++) {
        next.put("past_key." + j, (OnnxTensor) r.get("present_key." + j).orElseThrow());
        next.put("past_value." + j, (OnnxTensor) r.get("present_value." + j).orElseThrow());
      }
      releasePast();
      past = next;
      lastStep = r;
      return logits;
    } catch (OrtException e) {
      throw new InferenceException("decoder step failed (" + e.getCode() + "): " + e.getMessage(), e);
    }
  }

  @Override
  public void reorder(int[] sourceRows) {
    requireOpen();
    boolean identity = true;
    for (int b = 0; b < sourceRows.length; b++) {
      identity &= sourceRows[b] == b;
    }
    if (identity) {
      return;
    }
    Map<String, OnnxTensor> next = new HashMap<>();
    List<OnnxTensor> created = new ArrayList<>();
    for (Map.Entry<String, OnnxTensor> e : past.entrySet()) {
      long[] shape = e.getValue().getInfo().getShape();
      float[] src = Tensors.toArray(e.getValue());
      int row = src.length / batch;
      float[] dst = new float[src.length];
      for (int b = 0; b < batch; b++) {
        System.arraycopy(src, sourceRows[b] * row, dst, b * row, row);
      }
      OnnxTensor t = Tensors.floats(backend.env(), FloatBuffer.wrap(dst), shape, dst.length);
      created.add(t);
      next.put(e.getKey(), t);
    }
    releasePast();
    ownedPast.addAll(created);
    past = next;
  }

  /** Frees the cache being replaced: either tensors this state made or the last step's result. */
  private void releasePast() {
    ownedPast.forEach(OnnxTensor::close);
    ownedPast.clear();
    if (lastStep != null) {
      lastStep.close();
      lastStep = null;
    }
  }

  private <T extends AutoCloseable> T own(T t) {
    owned.add(t);
    return t;
  }

  private OnnxTensor ownPast(OnnxTensor t) {
    ownedPast.add(t);
    return t;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("decode state is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    releasePast();
    if (encoderResult != null) {
      encoderResult.close();
    }
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        // native free; nothing to recover
      }
    }
  }
}
