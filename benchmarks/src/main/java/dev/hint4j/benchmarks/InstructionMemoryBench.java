package dev.hint4j.benchmarks;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.hint4j.examples.Median;
import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.OnnxModelWriter;
import dev.hint4j.onnx.graph.Ops;
import dev.hint4j.onnx.graph.Value;
import dev.hint4j.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Would the fused instruction's keys/values in fewer bytes make a decoder step faster here? One
 * step's reads of the instruction memory as t5small at 1024 instruction tokens does them (6 layers,
 * 8 heads of 64, one query: scores, softmax, weighted values), with the memory stored float32,
 * float16 (Cast to float32 before each MatMul: ONNX Runtime's CPU MatMul has no float16 kernel
 * on x86) or int8 (DequantizeLinear before each MatMul: no integer kernel takes a per-head batch
 * of right-hand sides). Interleaved runs, medians.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.hint4j.benchmarks.InstructionMemoryBench [--tokens 1024] [--reps 200]}
 */
public final class InstructionMemoryBench {
  static final int LAYERS = 6;
  static final int HEADS = 8;
  static final int HEAD_DIM = 64;

  private InstructionMemoryBench() {}

  public static void main(String[] args) throws OrtException {
    int tokens = 1024;
    int reps = 200;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--tokens" -> tokens = Integer.parseInt(args[i + 1]);
        case "--reps" -> reps = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --tokens N, --reps N");
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OrtSession> sessions = new LinkedHashMap<>();
    Map<String, Map<String, OnnxTensor>> feeds = new LinkedHashMap<>();
    List<OnnxTensor> owned = new ArrayList<>();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      for (DType storage : new DType[] {DType.FLOAT, DType.FLOAT16, DType.INT8}) {
        String name = storage.name().toLowerCase(java.util.Locale.ROOT);
        sessions.put(name, env.createSession(OnnxModelWriter.toModel(graph(storage, tokens), Map.of()).toByteArray(), o));
        Map<String, OnnxTensor> in = new HashMap<>();
        SplittableRandom r = new SplittableRandom(1);
        in.put("q", track(owned, tensor(env, DType.FLOAT, new long[] {1, HEADS, 1, HEAD_DIM}, r)));
        for (int j = 0; j < LAYERS; j++) {
          in.put("k" + j, track(owned, tensor(env, storage, new long[] {1, HEADS, HEAD_DIM, tokens}, r)));
          in.put("v" + j, track(owned, tensor(env, storage, new long[] {1, HEADS, tokens, HEAD_DIM}, r)));
        }
        feeds.put(name, in);
      }
      Map<String, List<Double>> us = new LinkedHashMap<>();
      sessions.keySet().forEach(k -> us.put(k, new ArrayList<>()));
      for (int round = -20; round < reps; round++) {
        for (String k : sessions.keySet()) {
          long start = System.nanoTime();
          sessions.get(k).run(feeds.get(k)).close();
          if (round >= 0) {
            us.get(k).add((System.nanoTime() - start) / 1e3);
          }
        }
      }
      double fp32 = Median.of(us.get("float"));
      long elements = 2L * LAYERS * HEADS * HEAD_DIM * tokens;
      System.out.printf("instruction memory reads of one decoder step (%d layers, %d heads of %d, %d tokens, one query), %d interleaved runs:%n",
          LAYERS, HEADS, HEAD_DIM, tokens, reps);
      for (Map.Entry<String, List<Double>> e : us.entrySet()) {
        int bytes = e.getKey().equals("float") ? 4 : e.getKey().equals("float16") ? 2 : 1;
        System.out.printf("  %-8s %6.1f MB stored  median %8.1f us  %.2fx float32's time%n", e.getKey(), elements * bytes / 1e6,
            Median.of(e.getValue()), Median.of(e.getValue()) / fp32);
      }
    } finally {
      owned.forEach(OnnxTensor::close);
      for (OrtSession s : sessions.values()) {
        s.close();
      }
    }
  }

  private static Graph graph(DType storage, int tokens) {
    Graph g = new Graph("memory");
    Value q = g.input("q", DType.FLOAT, 1, HEADS, 1, HEAD_DIM);
    for (int j = 0; j < LAYERS; j++) {
      Value k = widen(g, g.input("k" + j, storage, 1, HEADS, HEAD_DIM, tokens), storage);
      Value v = widen(g, g.input("v" + j, storage, 1, HEADS, tokens, HEAD_DIM), storage);
      g.output("out" + j, Ops.matMul(Ops.softmax(Ops.matMul(q, k), -1), v));
    }
    return g;
  }

  private static Value widen(Graph g, Value x, DType storage) {
    return switch (storage) {
      case FLOAT -> x;
      case FLOAT16 -> Ops.cast(x, DType.FLOAT);
      case INT8 -> g.addNode("DequantizeLinear", List.of(x, g.scalar(0.01f)), Map.of(),
          List.of(new Graph.Spec(DType.FLOAT, x.shape()))).output();
      default -> throw new IllegalArgumentException(storage.toString());
    };
  }

  private static OnnxTensor tensor(OrtEnvironment env, DType type, long[] shape, SplittableRandom r) throws OrtException {
    int n = Math.toIntExact(FloatTensor.elementCount(shape));
    int width = type == DType.FLOAT ? 4 : type == DType.FLOAT16 ? 2 : 1;
    ByteBuffer b = ByteBuffer.allocateDirect(n * width).order(ByteOrder.nativeOrder());
    for (int i = 0; i < n; i++) {
      float v = (float) r.nextGaussian();
      switch (type) {
        case FLOAT -> b.putFloat(v);
        case FLOAT16 -> b.putShort(ai.onnxruntime.platform.Fp16Conversions.floatToFp16(v));
        default -> b.put((byte) Math.max(-127, Math.min(127, Math.round(v * 40))));
      }
    }
    b.rewind();
    OnnxJavaType t = type == DType.FLOAT ? OnnxJavaType.FLOAT : type == DType.FLOAT16 ? OnnxJavaType.FLOAT16 : OnnxJavaType.INT8;
    return OnnxTensor.createTensor(env, b, shape, t);
  }

  private static OnnxTensor track(List<OnnxTensor> owned, OnnxTensor t) {
    owned.add(t);
    return t;
  }
}
