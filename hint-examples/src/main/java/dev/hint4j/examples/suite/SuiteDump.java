package dev.hint4j.examples.suite;

import java.util.SplittableRandom;

/** Prints a few examples of every split (the suite README shows this output). */
public final class SuiteDump {
  private SuiteDump() {}

  public static void main(String[] args) {
    InstructionSuite suite = new InstructionSuite(InstructionSuite.instructionWords());
    SplittableRandom r = new SplittableRandom(args.length > 0 ? Long.parseLong(args[0]) : 1);
    for (Split s : Split.values()) {
      System.out.println("## " + s);
      for (int i = 0; i < 2; i++) {
        SuiteExample e = suite.sample(s, s == Split.FEW_SHOT_ONLY ? 2 : 0, r);
        System.out.println("- family: " + e.family());
        System.out.println("  instruction: " + e.instruction());
        e.examples().forEach(x -> System.out.println("  example: " + x.input() + " -> " + x.output()));
        System.out.println("  input: " + e.input() + "  ->  output: " + e.output());
      }
    }
  }
}
