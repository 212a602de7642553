package dev.hint4j.benchmarks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where a generation's kernel time goes, by operator: ONNX Runtime's profiler over a hand-written
 * greedy loop ({@link BareOrtLoop}, HINT at 128 instruction tokens, batch 1), summed over the
 * encoder and decoder sessions and divided by the number of inputs.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.hint4j.benchmarks.StepProfile [--runs 5] MODEL...}
 */
public final class StepProfile {
  private StepProfile() {}

  public static void main(String[] args) throws Exception {
    int runs = 5;
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--runs")) {
        runs = Integer.parseInt(args[++i]);
      } else {
        names.add(args[i]);
      }
    }
    for (String name : names) {
      Path dir = Files.createTempDirectory("hint4j-profile");
      System.setProperty("hint4j.ortProfile", dir.resolve("ort").toString());
      try (HintModel model = BenchModels.open(name)) {
        Workloads w = new Workloads(model);
        TaskModule task = model.compile(w.instruction(128, List.of(), 128));
        try (BareOrtLoop loop = new BareOrtLoop(name, model, task, model.tokenizer().encode(w.input(0)), 0)) {
          loop.generate(Workloads.OUTPUT_TOKENS); // warm-up, profiled too: subtracted below by counting runs + 1
          for (int r = 0; r < runs; r++) {
            loop.generate(Workloads.OUTPUT_TOKENS);
          }
        }
      } finally {
        System.clearProperty("hint4j.ortProfile");
      }
      Map<String, double[]> byOp = new TreeMap<>(); // op -> {microseconds, calls}
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          for (JsonElement e : JsonParser.parseString(Files.readString(f)).getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            if (o.has("cat") && o.get("cat").getAsString().equals("Node") && o.get("name").getAsString().endsWith("_kernel_time")) {
              String op = o.getAsJsonObject("args").get("op_name").getAsString();
              double[] acc = byOp.computeIfAbsent(op, k -> new double[2]);
              acc[0] += o.get("dur").getAsDouble();
              acc[1]++;
            }
            Files.deleteIfExists(f);
          }
        }
      }
      Files.deleteIfExists(dir);
      double total = byOp.values().stream().mapToDouble(a -> a[0]).sum();
      int inputs = runs + 1;
      System.out.printf("%s: kernel time %.1f ms per input (%d inputs, batch 1, 16 tokens), by operator:%n", name, total / 1e3 / inputs, inputs);
      byOp.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(8)
          .forEach(e -> System.out.printf("  %-30s %7.2f ms  %4.1f %%  %6.0f calls%n", e.getKey(), e.getValue()[0] / 1e3 / inputs,
              100 * e.getValue()[0] / total, e.getValue()[1] / inputs));
    }
  }
}
