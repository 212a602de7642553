package dev.hint4j.examples.suite;

import java.util.SplittableRandom;

/** Prints a few examples of every split (SUITE.md shows this output) and how many phrasings each family has. */
public final class SuiteDump {
  private SuiteDump() {}

  public static void main(String[] args) {
    InstructionSuite suite = InstructionSuite.standard();
    SplittableRandom r = new SplittableRandom(args.length > 0 ? Long.parseLong(args[0]) : 1);
    int perSplit = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    for (Split s : Split.values()) {
      System.out.println("## " + s);
      for (int i = 0; i < perSplit; i++) {
        SuiteExample e = suite.sample(s, s == Split.FEW_SHOT_ONLY ? 2 : 0, r);
        System.out.println("- family: " + e.family());
        System.out.println("  instruction: " + e.instruction());
        e.examples().forEach(x -> System.out.println("  example: " + x.input() + " -> " + x.output()));
        System.out.println("  input: " + e.input() + "  ->  output: " + e.output());
      }
    }
    System.out.println("## core phrasings per family (commands + questions, before frames and parameter namings)");
    for (Family f : Families.ALL) {
      System.out.printf("%s %d%n", f.id(), Phrasings.coreCount(f));
    }
  }
}
