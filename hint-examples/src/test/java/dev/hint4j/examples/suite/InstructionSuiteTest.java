package dev.hint4j.examples.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.PromptFormat;
import dev.hint4j.tokenize.HintTokenizer;
import dev.hint4j.tokenize.TokenizerJsonWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstructionSuiteTest {
  static final Set<String> WORDS = InstructionSuite.instructionWords();
  final InstructionSuite suite = new InstructionSuite(WORDS);

  @Test
  void familiesComputeWhatTheySay() {
    assertThat(Families.ALL).hasSizeGreaterThanOrEqualTo(40);
    assertThat(Families.ALL.stream().map(Family::id).distinct()).hasSameSizeAs(Families.ALL);
    assertThat(apply("reverse", "abc", null)).isEqualTo("cba");
    assertThat(apply("replace", "banana", Param.letters('a', 'o'))).isEqualTo("bonono");
    assertThat(apply("interleave", "abc", Param.separator("a dash", "-"))).isEqualTo("a-b-c");
    assertThat(apply("dedupe", "abacb", null)).isEqualTo("abc");
    assertThat(apply("shift_next", "azb", null)).isEqualTo("bac");
    assertThat(apply("every_other", "abcde", null)).isEqualTo("ace");
    assertThat(apply("longest_word", "ab cde fgh", null)).isEqualTo("cde");
    assertThat(apply("acronym", "big red dog", null)).isEqualTo("brd");
    assertThat(apply("digit_shift", "159", Param.number(3))).isEqualTo("482");
    assertThat(apply("count_letter", "banana", Param.letter('a'))).isEqualTo("3");
    assertThat(apply("swap_ends", "abcd", null)).isEqualTo("dbca");
  }

  @Test
  void heldOutSplitsNeverLeakIntoTraining() {
    SplittableRandom r = new SplittableRandom(1);
    Set<String> heldPhrasings = new HashSet<>();
    Families.ALL.forEach(f -> heldPhrasings.add(f.heldOutPhrasing().replaceAll("\\{[xy]\\}.*", "")));
    for (int i = 0; i < 5000; i++) {
      SuiteExample e = suite.sample(Split.TRAIN, 0, r);
      assertThat(InstructionSuite.isHeldOutInput(e.input())).isFalse();
      e.examples().forEach(x -> assertThat(InstructionSuite.isHeldOutInput(x.input())).isFalse());
      assertThat(InstructionSuite.HELD_OUT_PAIRS).doesNotContain(e.family());
      for (String held : heldPhrasings) {
        assertThat(e.instruction()).doesNotContain(held);
      }
      assertThat(e.instruction()).doesNotContain("Figure out the rule");
      for (char c = 'q'; c <= 'z'; c++) { // held-out parameter letters never named in training
        assertThat(e.instruction()).doesNotContain("'" + c + "'");
      }
    }
    for (Split s : Split.values()) {
      if (s != Split.TRAIN) {
        SuiteExample e = suite.sample(s, 2, r);
        assertThat(InstructionSuite.isHeldOutInput(e.input())).as(s.name()).isTrue();
      }
    }
  }

  @Test
  void instructionsAreDefinitionLengthAndTokenize() {
    TokenizerJsonWriter w = TokenizerJsonWriter.withWords(WORDS);
    try (HintTokenizer t = HintTokenizer.load(new ByteArrayInputStream(w.toJson().getBytes(StandardCharsets.UTF_8)), 1024)) {
      SplittableRandom r = new SplittableRandom(2);
      for (Split s : List.of(Split.TRAIN, Split.HELD_OUT_TEMPLATES, Split.HELD_OUT_PARAMS, Split.HELD_OUT_COMPOSITIONS)) {
        for (int i = 0; i < 300; i++) {
          SuiteExample e = suite.sample(s, 0, r);
          if (e.instruction().startsWith("Look at") || e.instruction().startsWith("The examples show")) {
            continue; // few-shot-only instructions are short by design: the examples carry the task
          }
          int tokens = t.encode(PromptFormat.taskText(e.instruction(), List.of())).length;
          assertThat(tokens).as(e.instruction()).isBetween(30, 120);
          long[] in = t.encode(e.input());
          assertThat(in.length).as("'%s' stays letter by letter", e.input()).isEqualTo(e.input().replace(" ", "").length() + 1);
        }
      }
    }
  }

  @Test
  void aSeedFixesTheData() {
    assertThat(suite.sample(Split.TRAIN, 0, new SplittableRandom(7))).isEqualTo(suite.sample(Split.TRAIN, 0, new SplittableRandom(7)));
  }

  private static String apply(String family, String input, Param p) {
    return Families.byId(family).apply().apply(input, p);
  }

  @Test
  void aTaskAnswersManyInputsByItsOwnRule() {
    SplittableRandom r = new SplittableRandom(3);
    SuiteTask reverse = suite.task(Split.HELD_OUT_INPUTS, "reverse", 2, r);
    assertThat(reverse.examples()).hasSize(2).allSatisfy(e -> assertThat(e.output()).isEqualTo(
        new StringBuilder(e.input()).reverse().toString()));
    for (int i = 0; i < 20; i++) {
      String in = reverse.drawInput(r);
      assertThat(InstructionSuite.isHeldOutInput(in)).as(in).isTrue();
      assertThat(reverse.answer(in)).isEqualTo(new StringBuilder(in).reverse().toString());
    }
    SuiteTask ambiguous = suite.task(Split.FEW_SHOT_ONLY, "delete", 4, r);
    assertThat(ambiguous.instruction()).doesNotContain("'"); // the letter to delete is only in the examples
    assertThat(ambiguous.examples()).hasSize(4);
    assertThat(InstructionSuite.familyIds()).hasSameSizeAs(Families.ALL).contains("reverse", "delete");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> suite.task(Split.HELD_OUT_PARAMS, "reverse", 0, r))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no parameter");
  }
}
