package dev.hint4j.onnx.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.OnnxModelWriter;
import dev.hint4j.tensor.FloatTensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a toolkit graph on ONNX Runtime with Java arrays in and out (tests only). */
public final class GraphRunner implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
  private final OrtSession session;

  public GraphRunner(Graph graph) throws OrtException {
    session = env.createSession(OnnxModelWriter.toModel(graph, Map.of()).toByteArray(), options);
  }

  public OrtSession session() {
    return session;
  }

  /** Inputs: FloatTensor, or long[][] {shape, data} pairs given as {@link Longs}. */
  public Map<String, FloatTensor> run(Map<String, Object> inputs) throws OrtException {
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      for (Map.Entry<String, Object> e : inputs.entrySet()) {
        if (!session.getInputNames().contains(e.getKey())) {
          continue;
        }
        if (e.getValue() instanceof FloatTensor t) {
          feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(t.toArray()), t.shape()));
        } else if (e.getValue() instanceof Longs l) {
          feeds.put(e.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(l.data()), l.shape()));
        } else {
          throw new IllegalArgumentException("unsupported input " + e.getKey());
        }
      }
      Map<String, FloatTensor> out = new LinkedHashMap<>();
      try (OrtSession.Result r = session.run(feeds)) {
        for (Map.Entry<String, OnnxValue> e : r) {
          OnnxTensor t = (OnnxTensor) e.getValue();
          FloatBuffer b = t.getFloatBuffer();
          float[] a = new float[b.remaining()];
          b.get(a);
          out.put(e.getKey(), FloatTensor.wrap(t.getInfo().getShape(), a));
        }
      }
      return out;
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  /** An int64 input. */
  public record Longs(long[] shape, long[] data) {}

  @Override
  public void close() throws OrtException {
    session.close();
    options.close();
  }
}
