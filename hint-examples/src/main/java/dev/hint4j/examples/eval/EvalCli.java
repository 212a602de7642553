package dev.hint4j.examples.eval;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.PromptFormat;
import dev.hint4j.TaskModule;
import dev.hint4j.Tokenizer;
import dev.hint4j.cost.CostModel;
import dev.hint4j.examples.Median;
import dev.hint4j.examples.Quickstart;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.examples.suite.SuiteExample;
import dev.hint4j.internal.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The paper-style evaluation on the instruction suite: exact match and ROUGE-L (characters) per
 * held-out split for no instruction, instruction concatenation (0/2/4-shot) and HINT (0/2/4-shot),
 * with per-input and compile GFLOPs from the cost model and measured per-input latency (teacher-forced
 * scoring of the reference answer, so all rows do the same decoding work) and its ratio to the
 * no-instruction row. Writes
 * Markdown, CSV and a PNG chart.
 *
 * <p>{@code mvn -q -DskipTests package exec:java -Dexec.mainClass=dev.hint4j.examples.eval.EvalCli
 * -Dexec.args="--per-split 100 --out target/eval"} evaluates the shipped demo model; {@code --hint DIRS}
 * and {@code --concat DIRS} (default {@code none}; {@code classpath:dev/hint4j/models/demo-concat} is the
 * embedded baseline) evaluate others, e.g. TrainCli's {@code OUT/model}: comma-separated, every model
 * on the same examples, in one table. {@code --per-family N} (default 10, 0 = off) adds the first
 * HINT model's 0-shot per task family, N examples each ({@code eval-per-family.md}/{@code .csv}).
 * TRAIN and compositions columns do not change with the shot count: TRAIN tasks carry the examples
 * training drew for them, compositions none.
 */
public final class EvalCli {
  /** TRAIN shows how well the model fits what it trained on; PLAIN_ENGLISH is worded by someone who never saw the suite. */
  public static final List<Split> SPLITS = List.of(Split.TRAIN, Split.HELD_OUT_INPUTS, Split.HELD_OUT_TEMPLATES, Split.HELD_OUT_PARAMS,
      Split.HELD_OUT_COMPOSITIONS, Split.FEW_SHOT_ONLY, Split.PLAIN_ENGLISH);

  /** One evaluated configuration. */
  record Row(String name, Map<Split, double[]> scores, double inputGflops, double compileGflops, double latencyMs,
      Map<String, int[]> families) {}

  private EvalCli() {}

  public static void main(String[] args) {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int perSplit = Integer.parseInt(a.getOrDefault("per-split", "100"));
    int perFamily = Integer.parseInt(a.getOrDefault("per-family", "10"));
    Path out = Path.of(a.getOrDefault("out", "target/eval"));
    List<Row> rows = new ArrayList<>();
    List<HintModel> hints = new ArrayList<>();
    List<HintModel> concats = new ArrayList<>();
    try {
      for (String source : a.getOrDefault("hint", "classpath:" + Quickstart.DEMO_MODEL).split(",")) {
        hints.add(load(source));
      }
      // Baseline rows are opt-in (--concat classpath:DEMO_CONCAT_MODEL for the embedded one): they
      // double the run and few users need them.
      String concatSources = a.getOrDefault("concat", "none");
      if (!concatSources.equals("none")) {
        for (String source : concatSources.split(",")) {
          concats.add(load(source));
        }
      }
      HintModel plainModel = concats.isEmpty() ? hints.get(0) : concats.get(0);
      evaluate("warm-up", plainModel, Mode.PLAIN, 0, 5); // JIT and allocator warm-up, so row 1's latency is not inflated
      rows.add(evaluate("no instruction", plainModel, Mode.PLAIN, 0, perSplit));
      for (HintModel concat : concats) {
        for (int shots : new int[] {0, 2, 4}) {
          rows.add(evaluate("concatenation " + label(concat, concats.size()) + shots + "-shot", concat, Mode.CONCAT, shots, perSplit));
        }
      }
      for (HintModel hint : hints) {
        for (int shots : new int[] {0, 2, 4}) {
          rows.add(evaluate("HINT " + label(hint, hints.size()) + shots + "-shot", hint, Mode.HINT, shots, perSplit));
        }
      }
      HintModel first = hints.get(0);
      if (perFamily > 0) {
        Map<String, int[][]> families = FamilyTable.evaluate(first, perFamily);
        AtomicFiles.write(out.resolve("eval-per-family.md"), FamilyTable.markdown(families, perFamily).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(out.resolve("eval-per-family.csv"), FamilyTable.csv(families).getBytes(StandardCharsets.UTF_8));
      }
    } finally {
      for (HintModel m : concats) {
        m.close();
      }
      for (HintModel m : hints) {
        m.close();
      }
    }
    String md = Report.markdown(rows, perSplit);
    System.out.println(md);
    AtomicFiles.write(out.resolve("eval.md"), md.getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(out.resolve("eval.csv"), Report.csv(rows).getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(out.resolve("eval-families.csv"), Report.familiesCsv(rows).getBytes(StandardCharsets.UTF_8));
    Report.chart(rows, out.resolve("eval.png"));
    System.out.println("wrote " + out.resolve("eval.md") + ", eval.csv, eval-families.csv, eval.png"
        + (perFamily > 0 ? " (and eval-per-family.md/.csv for a current-suite model)" : ""));
  }

  enum Mode { PLAIN, CONCAT, HINT }

  /** Tells models of one kind apart in the row names when there are several: size and pretrained encoder. */
  static String label(HintModel model, int modelsOfItsKind) {
    if (modelsOfItsKind < 2) {
      return "";
    }
    HintConfig c = model.config();
    return "(d=" + c.dModel() + " " + c.encoderLayers() + "+" + c.decoderLayers()
        + (c.pretrainedInstructionEncoder() == null ? "" : " + " + c.pretrainedInstructionEncoder().name()) + ") ";
  }

  /**
   * The embedded instruction-concatenation baseline: HINT's size (d=128, 3+3 layers) with a prompt
   * segment bias, trained on the demo model's suite, tokenizer and examples (see
   * results/baselines); {@code --concat classpath:} this.
   */
  public static final String DEMO_CONCAT_MODEL = "dev/hint4j/models/demo-concat";

  /** "classpath:folder" or a model directory. */
  private static HintModel load(String source) {
    return source.startsWith("classpath:")
        ? HintModel.builder().classpathModel(source.substring("classpath:".length())).build()
        : HintModel.builder().modelDir(Path.of(source)).build();
  }

  static Row evaluate(String name, HintModel model, Mode mode, int shots, int perSplit) {
    return evaluate(name, model, mode, shots, perSplit, SPLITS);
  }

  /** {@code perSplit} examples of each of {@code splits} (the same examples for every model and mode). */
  static Row evaluate(String name, HintModel model, Mode mode, int shots, int perSplit, List<Split> splits) {
    InstructionSuite suite = InstructionSuite.forTokenizer(model.tokenizer());
    CostModel cost = model.costModel();
    GenerationConfig gen = GenerationConfig.greedy(model.config().maxTargetLength());
    Map<Split, double[]> scores = new LinkedHashMap<>();
    double flops = 0;
    double compileFlops = 0;
    List<Double> millis = new ArrayList<>();
    Map<String, int[]> families = new java.util.TreeMap<>(); // "split/family" -> {right, asked}
    int n = 0;
    for (Split split : splits) {
      double em = 0;
      double rouge = 0;
      for (SuiteExample e : examples(suite, split, shots, perSplit)) {
        TaskModule task = switch (mode) {
          case PLAIN -> model.concatenationTask("", List.of());
          case CONCAT -> model.concatenationTask(e.instruction(), e.examples());
          case HINT -> model.compile(e.instruction(), e.examples());
        };
        String answer;
        try (BoundTask bound = model.bind(task)) {
          answer = bound.generate(e.input(), gen);
          // Latency is timed on scoring the reference answer: every row then decodes the same
          // tokens, whereas generated answers differ in length between rows.
          long s = System.nanoTime();
          bound.score(e.input(), e.output());
          millis.add((System.nanoTime() - s) / 1e6);
        }
        double[] f = flops(cost, model.tokenizer(), mode, e, mode == Mode.HINT ? pretrainedTokens(task, model.tokenizer(), e) : 0);
        flops += f[0];
        compileFlops += f[1];
        n++;
        em += answer.equals(e.output()) ? 1 : 0;
        int[] tally = families.computeIfAbsent(split + "/" + e.family(), k -> new int[2]);
        tally[0] += answer.equals(e.output()) ? 1 : 0;
        tally[1]++;
        rouge += RougeL.f1(answer, e.output());
      }
      scores.put(split, new double[] {100 * em / perSplit, 100 * rouge / perSplit});
      System.err.printf("%s, %s: exact match %.1f%n", name, split, 100 * em / perSplit);
    }
    return new Row(name, scores, flops / n / 1e9, compileFlops / n / 1e9, Median.of(millis), families);
  }

  /** The examples of a split every row evaluates: seeded by the split alone, so the same for every model and mode. */
  static List<SuiteExample> examples(InstructionSuite suite, Split split, int shots, int perSplit) {
    SplittableRandom r = new SplittableRandom(1000 + split.ordinal());
    List<SuiteExample> out = new ArrayList<>();
    for (int i = 0; i < perSplit; i++) {
      out.add(suite.sample(split, shots, r));
    }
    return out;
  }

  /**
   * States a pretrained instruction encoder added to a compiled task's fused memory (0 without
   * one): the memory's mask covers the task text's own tokens, then those states.
   */
  static int pretrainedTokens(TaskModule task, Tokenizer tokenizer, SuiteExample e) {
    if (!task.tensors().containsKey("instruction_mask")) {
      return 0;
    }
    int memory = 0;
    for (float m : task.tensor("instruction_mask").toArray()) {
      memory += m > 0 ? 1 : 0;
    }
    int own = tokenizer.encodeTruncating(PromptFormat.taskText(e.instruction(), e.examples())).length;
    return Math.max(0, memory - own);
  }

  /**
   * The cost model's per-input and compile FLOPs of one example (compile 0 but for HINT), with the
   * decoder producing the reference answer (as the latency is timed). The baseline's encoder reads
   * the concatenated text as the runtime builds it, separator included; HINT's decoder reads the
   * task's instruction and examples as fused memory, and the {@code pretrainedTokens} states of a
   * pretrained instruction encoder when the model has one.
   */
  static double[] flops(CostModel cost, Tokenizer tokenizer, Mode mode, SuiteExample e, int pretrainedTokens) {
    int inTokens = tokenizer.encodeTruncating(e.input()).length;
    int outTokens = tokenizer.encodeTruncating(e.output()).length;
    return switch (mode) {
      case PLAIN -> new double[] {cost.plainPerInputFlops(inTokens, outTokens), 0};
      case CONCAT -> {
        int all = tokenizer.encodeTruncating(PromptFormat.concatenated(e.instruction(), e.examples(), e.input())).length;
        yield new double[] {cost.concatPerInputFlops(all - inTokens, inTokens, outTokens), 0};
      }
      case HINT -> {
        int taskTokens = tokenizer.encodeTruncating(PromptFormat.taskText(e.instruction(), e.examples())).length;
        yield new double[] {cost.hintPerInputFlops(taskTokens, pretrainedTokens, inTokens, outTokens),
            cost.compileFlops(taskTokens, pretrainedTokens)};
      }
    };
  }
}
