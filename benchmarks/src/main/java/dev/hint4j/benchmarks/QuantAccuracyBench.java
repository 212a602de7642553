package dev.hint4j.benchmarks;

import ai.onnxruntime.OrtException;
import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import dev.hint4j.examples.eval.EvalCli;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.examples.suite.SuiteExample;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What quantization costs in accuracy, against float32:
 * <ul>
 *   <li>t5small (random weights): on fixed inputs, the largest |logit difference| of int8 and 4-bit
 *       when both decode float32's greedy tokens (teacher forcing), how often their next-token
 *       argmax agrees with float32's, and how many free-running greedy answers are identical;</li>
 *   <li>the demo model (trained): exact match of HINT (0-shot) on every held-out split of the
 *       instruction suite, the same examples for all three formats, and how many answers differ
 *       from float32's.</li>
 * </ul>
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.hint4j.benchmarks.QuantAccuracyBench [--per-split 400] [--inputs 16] [--model demo|t5small|both]}
 */
public final class QuantAccuracyBench {
  static final String[] FORMATS = {"fp32", "int8", "int4"};

  private QuantAccuracyBench() {}

  public static void main(String[] args) throws OrtException {
    int perSplit = 400;
    int inputs = 16;
    String which = "both";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--per-split" -> perSplit = Integer.parseInt(args[i + 1]);
        case "--inputs" -> inputs = Integer.parseInt(args[i + 1]);
        case "--model" -> which = args[i + 1];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; use --per-split N, --inputs N, --model demo|t5small|both");
      }
    }
    if (!which.equals("demo")) {
      t5small(inputs);
    }
    if (!which.equals("t5small")) {
      demo(perSplit);
    }
  }

  private static String modelName(String base, String format) {
    return format.equals("fp32") && base.equals(BenchModels.T5_SMALL) ? base : base + "-" + format;
  }

  static void t5small(int inputs) throws OrtException {
    List<HintModel> models = new ArrayList<>();
    List<BareOrtLoop> loops = new ArrayList<>();
    try {
      Workloads w = null;
      for (String f : FORMATS) {
        String name = modelName(BenchModels.T5_SMALL, f);
        HintModel m = BenchModels.open(name);
        models.add(m);
        w = w == null ? new Workloads(m) : w;
        TaskModule task = m.compile(w.instruction(128, List.of(), 128));
        loops.add(new BareOrtLoop(name, m, task, m.tokenizer().encode(w.input(0)), 0));
      }
      int steps = Workloads.OUTPUT_TOKENS;
      double[] maxDiff = new double[FORMATS.length];
      int[] agree = new int[FORMATS.length];
      int[] sameAnswer = new int[FORMATS.length];
      double sumSquares = 0;
      long count = 0;
      for (int i = 0; i < inputs; i++) {
        long[] ids = models.get(0).tokenizer().encode(w.input(i));
        float[][] ref = loops.get(0).stepLogits(ids, steps, null);
        long[] greedy = new long[steps];
        for (int t = 0; t < steps; t++) {
          greedy[t] = BareOrtLoop.argmax(FloatBuffer.wrap(ref[t]));
          for (float v : ref[t]) {
            sumSquares += (double) v * v;
            count++;
          }
        }
        for (int f = 1; f < FORMATS.length; f++) {
          float[][] forced = loops.get(f).stepLogits(ids, steps, greedy);
          for (int t = 0; t < steps; t++) {
            for (int k = 0; k < ref[t].length; k++) {
              maxDiff[f] = Math.max(maxDiff[f], Math.abs(forced[t][k] - ref[t][k]));
            }
            agree[f] += BareOrtLoop.argmax(FloatBuffer.wrap(forced[t])) == greedy[t] ? 1 : 0;
          }
          float[][] free = loops.get(f).stepLogits(ids, steps, null);
          boolean same = true;
          for (int t = 0; t < steps; t++) {
            same &= BareOrtLoop.argmax(FloatBuffer.wrap(free[t])) == greedy[t];
          }
          sameAnswer[f] += same ? 1 : 0;
        }
      }
      System.out.printf("t5small (random weights), HINT at 128 instruction tokens, %d inputs of %d tokens, %d steps each;"
          + " float32 logits RMS %.3f%n", inputs, Workloads.INPUT_TOKENS, steps, Math.sqrt(sumSquares / count));
      for (int f = 1; f < FORMATS.length; f++) {
        System.out.printf("  %-5s max |logit diff| %.4f; next-token argmax agrees with float32 at %d of %d steps (%.1f %%);"
            + " free-running greedy answers identical: %d of %d%n", FORMATS[f], maxDiff[f], agree[f], inputs * steps,
            100.0 * agree[f] / (inputs * steps), sameAnswer[f], inputs);
      }
    } finally {
      for (BareOrtLoop l : loops) {
        l.close();
      }
      models.forEach(HintModel::close);
    }
  }

  static void demo(int perSplit) {
    List<HintModel> models = new ArrayList<>();
    try {
      for (String f : FORMATS) {
        models.add(f.equals("fp32") ? BenchModels.open(BenchModels.DEMO) : BenchModels.open(modelName(BenchModels.DEMO, f)));
      }
      InstructionSuite suite = InstructionSuite.forTokenizer(models.get(0).tokenizer()); // the suite the demo model was trained on
      GenerationConfig gen = GenerationConfig.greedy(models.get(0).config().maxTargetLength());
      System.out.printf("demo model, HINT 0-shot, %d examples per split (EvalCli's samples), exact match %%"
          + " (95 %% interval ±%.1f points at 50 %%); answers differing from float32's%n", perSplit, 100 * 1.96 * Math.sqrt(0.25 / perSplit));
      for (Split split : EvalCli.SPLITS) {
        SplittableRandom r = new SplittableRandom(1000 + split.ordinal()); // EvalCli's examples
        int[] right = new int[FORMATS.length];
        int[] differ = new int[FORMATS.length];
        for (int i = 0; i < perSplit; i++) {
          SuiteExample e = suite.sample(split, 0, r);
          String reference = null;
          for (int f = 0; f < FORMATS.length; f++) {
            HintModel m = models.get(f);
            String answer;
            try (BoundTask bound = m.bind(m.compile(e.instruction(), e.examples()))) {
              answer = bound.generate(e.input(), gen);
            }
            reference = f == 0 ? answer : reference;
            right[f] += answer.equals(e.output()) ? 1 : 0;
            differ[f] += answer.equals(reference) ? 0 : 1;
          }
        }
        System.out.printf("  %-22s fp32 %5.1f   int8 %5.1f (%+.1f, %d answers differ)   int4 %5.1f (%+.1f, %d differ)%n", split,
            100.0 * right[0] / perSplit, 100.0 * right[1] / perSplit, 100.0 * (right[1] - right[0]) / perSplit, differ[1],
            100.0 * right[2] / perSplit, 100.0 * (right[2] - right[0]) / perSplit, differ[2]);
      }
    } finally {
      models.forEach(HintModel::close);
    }
  }
}
