package dev.hint4j.examples.suite;

import dev.hint4j.PromptFormat;
import dev.hint4j.internal.tokenize.CharWordTokenizerJson;
import dev.hint4j.internal.tokenize.HintTokenizer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Prints a few examples of every split (SUITE.md shows this output), mean token lengths under the
 * suite's tokenizer, and how many phrasings each family has. Arguments: seed, examples per split.
 */
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
    printTokenLengths(suite);
    System.out.println("## core phrasings per family (commands + questions, before frames and parameter namings)");
    for (Family f : Families.ALL) {
      System.out.printf("%s %d%n", f.id(), Phrasings.coreCount(f));
    }
  }

  private static void printTokenLengths(InstructionSuite suite) {
    CharWordTokenizerJson json = CharWordTokenizerJson.withPieces(InstructionSuite.tokenizerPieces());
    try (HintTokenizer t = HintTokenizer.load(new ByteArrayInputStream(json.toJson().getBytes(StandardCharsets.UTF_8)), 4096)) {
      System.out.printf("## mean tokens (EOS included), vocabulary %d: %d word pieces + characters + specials%n", json.vocabSize(),
          json.words().size());
      for (Split s : Split.values()) {
        SplittableRandom r = new SplittableRandom(11);
        int n = 2000;
        double instruction = 0;
        double task = 0;
        double input = 0;
        double target = 0;
        double words = 0;
        for (int i = 0; i < n; i++) {
          SuiteExample e = suite.sample(s, s == Split.FEW_SHOT_ONLY ? 2 : 0, r);
          instruction += t.encode(e.instruction()).length;
          task += t.encode(PromptFormat.taskText(e.instruction(), e.examples())).length;
          input += t.encode(e.input()).length;
          target += t.encode(e.output()).length;
          words += e.instruction().split(" +").length;
        }
        System.out.printf("%s: instruction %.1f (%.1f words), task text with examples %.1f, input %.1f, target %.1f%n", s,
            instruction / n, words / n, task / n, input / n, target / n);
      }
    }
  }
}
