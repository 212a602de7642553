package dev.hint4j.examples;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.PromptFormat;
import dev.hint4j.TaskModule;
import dev.hint4j.cost.CostModel;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.examples.suite.SuiteTask;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The main job, on the embedded demo model (a HINT model trained by hint4j on its instruction
 * suite, see the README): compile several tasks once — some from splits the model never saw in
 * training — answer fresh inputs with each, show few-shot examples teaching an ambiguous task, and
 * print what each input costs under HINT and under instruction concatenation.
 *
 * <p>Run: {@code mvn -q -DskipTests package exec:java} (from the repository root). An optional
 * argument names another model directory.
 */
public final class Quickstart {
  /** Where the demo model lives on the classpath (hint-examples' resources; also its demo-model jar). */
  public static final String DEMO_MODEL = dev.hint4j.DemoModel.CLASSPATH_FOLDER;

  /**
   * The tasks shown: (split, family). The demo model is small and briefly trained: it solves some
   * families and not others (README, per-family CSV of EvalCli). These are families it mostly
   * solves, from three splits, plus one it has not learned (reverse), so the output stays honest.
   */
  private static final List<Shown> SHOWN = List.of(
      new Shown(Split.HELD_OUT_INPUTS, "keep_vowels"),
      new Shown(Split.HELD_OUT_INPUTS, "first_n"),
      new Shown(Split.HELD_OUT_INPUTS, "max_digit"),
      new Shown(Split.HELD_OUT_TEMPLATES, "capitalize"),
      new Shown(Split.HELD_OUT_PARAMS, "count_letter"),
      new Shown(Split.HELD_OUT_INPUTS, "reverse"));

  private record Shown(Split split, String family) {}
  /** The ambiguous task: its instruction says only "use the rule of the examples"; the rule is uppercasing. */
  private static final String FEW_SHOT_FAMILY = "uppercase";
  private static final int INPUTS_PER_TASK = 4;
  private static final int FEW_SHOT_INPUTS = 12;

  private Quickstart() {}

  public static void main(String[] args) {
    try (HintModel model = args.length > 0
        ? HintModel.builder().modelDir(Path.of(args[0])).build()
        : HintModel.builder().classpathModel(DEMO_MODEL).build()) {
      run(model, System.out);
    }
  }

  /** Runs the demo on {@code model}; returns the fraction of shown answers that were right. */
  public static double run(HintModel model, PrintStream out) {
    out.println("Model: " + model.manifest().name() + " — " + model.manifest().description());
    out.println("Runtime: " + model.describeRuntime());
    out.println();
    InstructionSuite suite = InstructionSuite.forTokenizer(model.tokenizer());
    SplittableRandom r = new SplittableRandom(2026);
    GenerationConfig greedy = GenerationConfig.greedy(model.config().maxTargetLength());

    int right = 0;
    int asked = 0;
    double compileMs = 0;
    double hintMs = 0;
    for (Shown shown : SHOWN) {
      SuiteTask task = suite.task(shown.split(), shown.family(), 0, r);
      long t0 = System.nanoTime();
      TaskModule module = model.compile(task.instruction(), task.examples());
      compileMs += (System.nanoTime() - t0) / 1e6;
      out.printf("[%s, %s] %s%n", task.family(), describe(task.split()), task.instruction());
      try (BoundTask bound = model.bind(module)) {
        for (int i = 0; i < INPUTS_PER_TASK; i++) {
          String in = task.drawInput(r);
          long s = System.nanoTime();
          String answer = bound.generate(in, greedy);
          hintMs += (System.nanoTime() - s) / 1e6;
          String expected = task.answer(in);
          right += answer.equals(expected) ? 1 : 0;
          asked++;
          out.printf("    %-22s -> %-22s %s%n", quote(in), quote(answer), answer.equals(expected) ? "ok" : "expected " + quote(expected));
        }
      }
    }
    out.printf("%d of %d answers right. Compiling took %.1f ms per task (once); answering %.1f ms per input.%n%n",
        right, asked, compileMs / SHOWN.size(), hintMs / asked);

    fewShot(model, suite, new SplittableRandom(7), greedy, out);
    measuredCosts(model, suite, r, out);
    printCosts(model.costModel(), out);
    return right / (double) asked;
  }

  /** The same ambiguous instruction compiled without and with four examples of the rule. */
  private static void fewShot(HintModel model, InstructionSuite suite, SplittableRandom r, GenerationConfig greedy, PrintStream out) {
    SuiteTask withExamples = suite.task(Split.FEW_SHOT_ONLY, FEW_SHOT_FAMILY, 4, r);
    out.println("An ambiguous task: \"" + withExamples.instruction() + "\"");
    withExamples.examples().forEach(e -> out.printf("    example: %s -> %s%n", quote(e.input()), quote(e.output())));
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < FEW_SHOT_INPUTS; i++) {
      inputs.add(withExamples.drawInput(r));
    }
    for (boolean examples : new boolean[] {false, true}) {
      TaskModule module = model.compile(withExamples.instruction(), examples ? withExamples.examples() : List.of());
      int ok = 0;
      String sample = null;
      try (BoundTask bound = model.bind(module)) {
        for (String in : inputs) {
          String answer = bound.generate(in, greedy);
          ok += answer.equals(withExamples.answer(in)) ? 1 : 0;
          sample = sample == null ? quote(in) + " -> " + quote(answer) : sample;
        }
      }
      out.printf("  %s: %d of %d right (e.g. %s)%n", examples ? "compiled with the 4 examples" : "compiled without examples ",
          ok, inputs.size(), sample);
    }
    out.println();
  }

  /**
   * Measured per-input latency of the same inputs under HINT, concatenation and no instruction,
   * timed on scoring the right answer so each does the same decoding work (this model was not
   * trained for concatenation: only the cost is meaningful here).
   */
  private static void measuredCosts(HintModel model, InstructionSuite suite, SplittableRandom r,
      PrintStream out) {
    SuiteTask task = suite.task(Split.HELD_OUT_INPUTS, "reverse", 4, r);
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      inputs.add(task.drawInput(r));
    }
    int taskTokens = model.tokenizer().encodeTruncating(PromptFormat.taskText(task.instruction(), task.examples())).length;
    double[] medians = new double[3];
    TaskModule[] modules = {model.compile(task.instruction(), task.examples()),
        model.concatenationTask(task.instruction(), task.examples()), model.concatenationTask("", List.of())};
    for (int m = 0; m < modules.length; m++) {
      try (BoundTask bound = model.bind(modules[m])) {
        bound.score(inputs.get(0), task.answer(inputs.get(0))); // warm-up
        List<Double> ms = new java.util.ArrayList<>();
        for (String input : inputs) {
          long s = System.nanoTime();
          bound.score(input, task.answer(input)); // the same decoding work under every module
          ms.add((System.nanoTime() - s) / 1e6);
        }
        medians[m] = Median.of(ms);
      }
    }
    out.printf("Measured per input (scoring, median of %d, a %d-token instruction with 4 examples): HINT %.2f ms, concatenation %.2f ms,"
        + " no instruction %.2f ms; concatenation/HINT %.2f×%n%n", inputs.size(), taskTokens, medians[0], medians[1], medians[2],
        medians[1] / medians[0]);
  }

  private static void printCosts(CostModel cost, PrintStream out) {
    int in = 32;
    int outTokens = 16;
    boolean pretrained = cost.config().pretrainedInstructionEncoder() != null;
    out.printf("Per-input cost (analytic FLOPs), input %d tokens, output %d tokens%s:%n", in, outTokens, pretrained
        ? " (the pretrained instruction encoder assumed to read as many word pieces, at most 256)" : "");
    out.printf("  %-18s %14s %14s %10s %14s%n", "instruction tokens", "HINT MFLOP", "concat MFLOP", "concat/HINT", "compile MFLOP");
    for (int instr : new int[] {0, 32, 128, 512, 1024}) {
      int states = pretrained ? Math.min(instr, 256) : 0;
      double hint = cost.hintPerInputFlops(instr, states, in, outTokens) / 1e6;
      double concat = cost.concatPerInputFlops(instr, in, outTokens) / 1e6;
      out.printf("  %-18d %14.1f %14.1f %10.2f %14.1f%n", instr, hint, concat, concat / hint, cost.compileFlops(instr, states) / 1e6);
    }
  }

  private static String describe(Split split) {
    return switch (split) {
      case HELD_OUT_INPUTS -> "trained task, unseen inputs";
      case HELD_OUT_TEMPLATES -> "unseen instruction wording";
      case HELD_OUT_PARAMS -> "unseen parameter value";
      default -> split.toString();
    };
  }

  private static String quote(String s) {
    return "\"" + s.replace("\n", "\\n") + "\"";
  }
}
