package dev.hint4j.benchmarks;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.onnx.export.RandomModel;
import dev.hint4j.tokenize.TokenizerJsonWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-input latency of one generation (16 input tokens, 16 output tokens, fixed length) under
 * HINT, instruction concatenation and no instruction, across instruction lengths, on a random
 * model of the chosen size (built on first use under {@code target/bench-models}).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar PerInputBenchmark -rf json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-DOPT_OUT_TRACKING=true", "-DDJL_OFFLINE=true", "-DRUST_FLAVOR=cpu"})
public class PerInputBenchmark {
  @Param({"small", "t5small"})
  public String model;

  @Param({"hint", "concat", "plain"})
  public String mode;

  @Param({"0", "32", "128", "512", "1024"})
  public int instructionTokens;

  private HintModel hint;
  private BoundTask task;
  private String input;
  private final GenerationConfig gen = GenerationConfig.greedy(16).withMinNewTokens(16);

  @Setup(Level.Trial)
  public void setUp() {
    Path dir = Path.of("target/bench-models/" + model);
    if (!Files.exists(dir.resolve("hint-model.json"))) {
      boolean small = model.equals("small");
      RandomModel.create(dir, small ? HintConfig::small : HintConfig::t5SmallShaped, small ? 0 : 32128, 1, !small);
    }
    hint = HintModel.builder().modelDir(dir).build();
    int limit = hint.config().maxInstructionLength();
    int n = Math.min(instructionTokens, limit);
    String instruction = n == 0 ? "Go." : words(n - 1);
    input = words(15);
    task = hint.bind(switch (mode) {
      case "hint" -> hint.compile(instruction);
      case "concat" -> hint.concatenationTask(n == 0 ? "" : instruction, List.of());
      default -> hint.concatenationTask("", List.of());
    });
  }

  @Benchmark
  public String generate() {
    return task.generate(input, gen);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    task.close();
    hint.close();
  }

  /** n single-token words from the default vocabulary. */
  static String words(int n) {
    List<String> vocab = TokenizerJsonWriter.defaultWords();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : " ").append(vocab.get((i * 31 + 7) % vocab.size()));
    }
    return sb.toString();
  }
}
