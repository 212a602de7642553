package dev.hint4j.examples.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.PromptFormat;
import dev.hint4j.internal.tokenize.HintTokenizer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The suite's tokenizer on the suite's data: exact round trips, one token per character of every input and output. */
class SuiteTokenizationTest {
  static HintTokenizer tokenizer;
  final InstructionSuite suite = InstructionSuite.standard();

  @BeforeAll
  static void load() {
    tokenizer = SuiteTokenizer.load();
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void inputsAndOutputsOfEveryFamilyRoundTripOneTokenPerCharacter() {
    SplittableRandom r = new SplittableRandom(9);
    for (Split split : Split.values()) {
      for (String family : InstructionSuite.familyIds()) {
        if (split == Split.HELD_OUT_COMPOSITIONS
            || split == Split.HELD_OUT_PARAMS && Families.byId(family).params().heldOut().isEmpty()) {
          continue;
        }
        SuiteTask task = suite.task(split, family, 0, r);
        for (int i = 0; i < 20; i++) {
          String in = task.drawInput(r);
          for (String s : new String[] {in, task.answer(in)}) {
            long[] ids = tokenizer.encode(s);
            assertThat(tokenizer.decode(ids)).as(family).isEqualTo(s);
            assertThat(ids).as("%s: '%s' one token per character", family, s).hasSize(s.length() + 1).doesNotContain(2L);
          }
        }
      }
    }
    for (int i = 0; i < 500; i++) { // compositions, instructions and few-shot prompts
      SuiteExample e = suite.sample(i % 2 == 0 ? Split.HELD_OUT_COMPOSITIONS : Split.TRAIN, 3, r);
      assertThat(tokenizer.decode(tokenizer.encode(e.output()))).isEqualTo(e.output());
      String task = PromptFormat.taskText(e.instruction(), e.examples());
      assertThat(tokenizer.decode(tokenizer.encode(task))).isEqualTo(task);
    }
  }

  /** Every printable ASCII character is a token of its own, and training must give each one a trained embedding. */
  @Test
  void trainingUsesEveryPrintableAsciiCharacter() {
    SplittableRandom r = new SplittableRandom(10);
    java.util.Set<Character> seen = new java.util.HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      SuiteExample e = suite.sample(Split.TRAIN, 0, r);
      String all = PromptFormat.taskText(e.instruction(), e.examples()) + e.input() + e.output();
      all.chars().forEach(c -> seen.add((char) c));
    }
    for (char c = 32; c < 127; c++) {
      assertThat(seen).as("'%s' occurs in training", c).contains(c);
    }
  }

  @Test
  void aLetterHasOneIdAtTheStartOfAWordAndInside() {
    long[] ab = tokenizer.encode("ab ba");
    assertThat(ab[0]).isEqualTo(ab[4]);
    assertThat(ab[1]).isEqualTo(ab[3]);
    assertThat(tokenizer.encode("Reverse the word.")).hasSizeLessThan("Reverse the word.".length() / 2);
  }
}
