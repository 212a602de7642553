package dev.hint4j.benchmarks;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kernels per decoder step: the nodes of the decoder graph after ONNX Runtime's optimizations (all
 * levels, as hint4j runs it), each of which runs once per step, by operator; and how many of them
 * depend on nothing that changes between steps (the token, the self-attention cache), i.e.
 * recompute a per-batch constant at every step.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.hint4j.benchmarks.KernelCount [MODEL...]} (default: the
 * shipped demo model, its weights exported with this build's graphs, and t5small)
 */
public final class KernelCount {
  private KernelCount() {}

  public static void main(String[] args) throws Exception {
    for (String name : args.length == 0 ? List.of(BenchModels.DEMO_SHIPPED, BenchModels.DEMO + "-fp32", BenchModels.T5_SMALL)
        : List.of(args)) {
      Path dir = BenchModels.ensure(name);
      OnnxMl.ModelProto optimized = optimized(dir.resolve("decoder.onnx"));
      Map<String, Integer> byOp = new TreeMap<>();
      Set<String> stepDependent = new HashSet<>();
      for (OnnxMl.ValueInfoProto in : optimized.getGraph().getInputList()) {
        if (in.getName().equals("decoder_input_ids") || in.getName().startsWith("past_")) {
          stepDependent.add(in.getName());
        }
      }
      int perBatch = 0;
      Map<String, Integer> perBatchByOp = new TreeMap<>();
      for (OnnxMl.NodeProto n : optimized.getGraph().getNodeList()) { // topological order
        byOp.merge(n.getOpType(), 1, Integer::sum);
        if (n.getInputList().stream().anyMatch(stepDependent::contains)) {
          stepDependent.addAll(n.getOutputList());
        } else {
          perBatch++;
          perBatchByOp.merge(n.getOpType(), 1, Integer::sum);
          if (Boolean.getBoolean("hint4j.kernels.list")) {
            System.out.println("    per-batch: " + n.getOpType() + " " + n.getName() + " " + n.getInputList());
          }
        }
      }
      System.out.printf("%s: %d kernels per decoder step; %d of them compute per-batch constants %s%n  by operator: %s%n", name,
          optimized.getGraph().getNodeCount(), perBatch, perBatchByOp, byOp);
    }
  }

  /** The graph as ONNX Runtime runs it (written by the session with all optimizations on). */
  static OnnxMl.ModelProto optimized(Path model) throws OrtException {
    try {
      Path out = Files.createTempFile("hint4j-optimized", ".onnx");
      try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setOptimizedModelFilePath(out.toString());
        o.addConfigEntry("session.optimized_model_external_initializers_file_name", out.getFileName() + ".data");
        o.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(model.toString(), o)) {
          s.getInputNames();
        }
        return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(out));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(out.resolveSibling(out.getFileName() + ".data"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
