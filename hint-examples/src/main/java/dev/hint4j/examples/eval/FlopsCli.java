package dev.hint4j.examples.eval;

import dev.hint4j.HintConfig;
import dev.hint4j.cost.CostModel;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.examples.suite.SuiteExample;
import dev.hint4j.examples.train.ModelSize;
import dev.hint4j.internal.tokenize.CharWordTokenizerJson;
import dev.hint4j.internal.tokenize.HintTokenizer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-input GFLOPs of model sizes on the evaluation's rows, without training or exporting a model:
 * the numbers {@link EvalCli} reports (same examples, same {@link CostModel} accounting, the suite's
 * own tokenizer), for choosing e.g. a concatenation baseline whose per-input FLOPs, instruction
 * included, match HINT's.
 *
 * <p>{@code mvn -q -DskipTests package exec:java -Dexec.mainClass=dev.hint4j.examples.eval.FlopsCli
 * -Dexec.args="--mode concat --d-model 64,96 --layers 2+2,3+3 --ffn 128,192"}. Options: --mode
 * hint|concat (default concat); the size options of TrainCli ({@link ModelSize}), where every one but
 * --size takes a comma-separated list and each combination is one row; --per-split N (default 400,
 * the evaluation's); --shots (default 0,2,4).
 */
public final class FlopsCli {
  private FlopsCli() {}

  public static void main(String[] args) {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
      }
      a.put(args[i].substring(2), args[++i]);
    }
    EvalCli.Mode mode = switch (a.getOrDefault("mode", "concat")) {
      case "concat" -> EvalCli.Mode.CONCAT;
      case "hint" -> EvalCli.Mode.HINT;
      default -> throw new IllegalArgumentException("--mode must be hint or concat, got '" + a.get("mode") + "'");
    };
    int perSplit = Integer.parseInt(a.getOrDefault("per-split", "400"));
    int[] shots = Arrays.stream(a.getOrDefault("shots", "0,2,4").split(",")).mapToInt(Integer::parseInt).toArray();
    CharWordTokenizerJson vocab = CharWordTokenizerJson.withPieces(InstructionSuite.tokenizerPieces());
    List<HintConfig> configs = new ArrayList<>();
    for (Map<String, String> sizes : combinations(a)) {
      configs.add(ModelSize.parse(sizes, vocab.vocabSize()));
    }
    int longest = configs.get(0).maxInstructionLength() + configs.get(0).maxInputLength() + configs.get(0).maxTargetLength();
    try (HintTokenizer tokenizer = HintTokenizer.load(new ByteArrayInputStream(vocab.toJson().getBytes(StandardCharsets.UTF_8)), longest)) {
      System.out.println(table(mode, configs, tokenizer, InstructionSuite.forTokenizer(tokenizer), perSplit, shots));
    }
  }

  /**
   * One Markdown row per config: its parameters (those the mode uses), mean per-input GFLOPs at each
   * shot count over {@code perSplit} examples of every evaluated split, and HINT's compile GFLOPs at
   * the first shot count.
   */
  static String table(EvalCli.Mode mode, List<HintConfig> configs, dev.hint4j.Tokenizer tokenizer, InstructionSuite suite, int perSplit,
      int[] shots) {
    StringBuilder sb = new StringBuilder("| " + (mode == EvalCli.Mode.HINT ? "HINT" : "concatenation") + " | parameters |");
    for (int k : shots) {
      sb.append(" per-input GFLOPs ").append(k).append("-shot |");
    }
    if (mode == EvalCli.Mode.HINT) {
      sb.append(" compile GFLOPs ").append(shots[0]).append("-shot |");
    }
    sb.append("\n|---|---|").append("---|".repeat(shots.length + (mode == EvalCli.Mode.HINT ? 1 : 0))).append('\n');
    Map<Integer, List<SuiteExample>> rows = new LinkedHashMap<>();
    for (int k : shots) {
      List<SuiteExample> all = new ArrayList<>();
      for (Split split : EvalCli.SPLITS) {
        all.addAll(EvalCli.examples(suite, split, k, perSplit));
      }
      rows.put(k, all);
    }
    for (HintConfig c : configs) {
      CostModel cost = new CostModel(c);
      long params = ModelSize.parameters(c, name -> mode == EvalCli.Mode.HINT || !name.startsWith("hyper."));
      sb.append(String.format("| %s | %,d |", ModelSize.describe(c), params));
      double compile = 0;
      for (int k : shots) {
        double[] sum = new double[2];
        for (SuiteExample e : rows.get(k)) {
          double[] f = EvalCli.flops(cost, tokenizer, mode, e, 0); // sizes here have no pretrained instruction encoder
          sum[0] += f[0];
          sum[1] += f[1];
        }
        sb.append(String.format(" %.4f |", sum[0] / rows.get(k).size() / 1e9));
        if (k == shots[0]) {
          compile = sum[1] / rows.get(k).size() / 1e9;
        }
      }
      if (mode == EvalCli.Mode.HINT) {
        sb.append(String.format(" %.4f |", compile));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Every combination of the size options' comma-separated values, each as TrainCli would read it. */
  static List<Map<String, String>> combinations(Map<String, String> args) {
    List<Map<String, String>> out = new ArrayList<>();
    Map<String, String> start = new LinkedHashMap<>();
    if (args.containsKey("size")) {
      start.put("size", args.get("size"));
    }
    out.add(start);
    for (String option : ModelSize.OPTIONS.subList(1, ModelSize.OPTIONS.size())) {
      if (!args.containsKey(option)) {
        continue;
      }
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : out) {
        for (String v : args.get(option).split(",")) {
          Map<String, String> m = new LinkedHashMap<>(partial);
          m.put(option, v.strip());
          next.add(m);
        }
      }
      out = next;
    }
    return out;
  }
}
