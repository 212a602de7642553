package dev.hint4j.examples.eval;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.examples.suite.SuiteExample;
import dev.hint4j.examples.suite.SuiteTask;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * HINT 0-shot exact match per task family with the same number of examples for every family
 * (the per-split table draws families at random, so a family may get only a handful). Each
 * example is its own task (a fresh instruction wording and parameter), so a family's score is
 * not one lucky phrasing.
 */
final class FamilyTable {
  /** The single-family splits shown; held-out params exist only for some families, compositions for none. */
  static final List<Split> SPLITS = List.of(Split.TRAIN, Split.HELD_OUT_INPUTS, Split.HELD_OUT_TEMPLATES, Split.PLAIN_ENGLISH);

  private FamilyTable() {}

  /** family → per split {right, asked}, for every family of the suite in catalogue order. */
  static Map<String, int[][]> evaluate(HintModel model, int perFamily) {
    return evaluate(model, InstructionSuite.familyIds(), perFamily);
  }

  static Map<String, int[][]> evaluate(HintModel model, List<String> families, int perFamily) {
    InstructionSuite suite = InstructionSuite.forTokenizer(model.tokenizer());
    GenerationConfig greedy = GenerationConfig.greedy(model.config().maxTargetLength());
    Map<String, int[][]> table = new LinkedHashMap<>();
    for (String family : families) {
      int[][] tally = new int[SPLITS.size()][2];
      for (int s = 0; s < SPLITS.size(); s++) {
        Split split = SPLITS.get(s);
        SplittableRandom r = new SplittableRandom(7000 + 31L * split.ordinal() + family.hashCode());
        for (int i = 0; i < perFamily; i++) {
          SuiteTask task = suite.task(split, family, 0, r);
          SuiteExample e = task.example(r);
          TaskModule module = model.compile(e.instruction(), e.examples());
          try (BoundTask bound = model.bind(module)) {
            tally[s][0] += bound.generate(e.input(), greedy).equals(e.output()) ? 1 : 0;
          }
          tally[s][1]++;
        }
      }
      table.put(family, tally);
    }
    return table;
  }

  static String markdown(Map<String, int[][]> table, int perFamily) {
    StringBuilder sb = new StringBuilder("| family |");
    SPLITS.forEach(s -> sb.append(' ').append(s.name().toLowerCase().replace("held_out_", "held-out ").replace('_', '-')).append(" |"));
    sb.append("\n|---|").append("---|".repeat(SPLITS.size())).append('\n');
    table.forEach((family, tally) -> {
      sb.append("| ").append(family).append(" |");
      for (int[] t : tally) {
        sb.append(' ').append(t[0]).append('/').append(t[1]).append(" |");
      }
      sb.append('\n');
    });
    sb.append('\n').append("HINT 0-shot, greedy; exact matches out of ").append(perFamily)
        .append(" examples per family and split, each from its own task (wording, parameter, input).\n");
    return sb.toString();
  }

  static String csv(Map<String, int[][]> table) {
    StringBuilder sb = new StringBuilder("family,split,right,asked\n");
    table.forEach((family, tally) -> {
      for (int s = 0; s < SPLITS.size(); s++) {
        sb.append(String.format("%s,%s,%d,%d%n", family, SPLITS.get(s), tally[s][0], tally[s][1]));
      }
    });
    return sb.toString();
  }
}
