package dev.hint4j.examples.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstructionSuiteTest {
  final InstructionSuite suite = InstructionSuite.standard();

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

  /** The crash of issue 13: a composition whose first step leaves nothing (remove_vowels on "aeu", then drop_first). */
  @Test
  void rulesAreTotalOnTheEmptyStringAndTargetsAreNeitherEmptyNorTheInput() {
    for (Family f : Families.ALL) {
      if (f.input() != Family.InputKind.WORDS) { // word inputs always have a word; compositions chain letter rules only
        Param p = f.params().isEmpty() ? null : f.params().train().get(0);
        assertThat(f.apply().apply("", p)).as(f.id()).isNotNull();
      }
    }
    for (String a : Families.COMPOSABLE) {
      for (String b : Families.COMPOSABLE) {
        assertThat(apply(b, apply(a, "aeu", null), null)).as(a + "+" + b).isNotNull();
      }
    }
    assertThat(apply("drop_first", apply("remove_vowels", "aeu", null), null)).isEmpty();
    SplittableRandom r = new SplittableRandom(4);
    for (Split s : Split.values()) {
      for (int i = 0; i < (s == Split.TRAIN ? 10_000 : 1_000); i++) {
        SuiteExample e = suite.sample(s, 2, r);
        assertThat(e.output()).as("%s %s on '%s'", s, e.family(), e.input()).isNotEmpty();
        if (!e.family().equals("copy")) {
          assertThat(e.output()).as("%s changes its input", e.family()).isNotEqualTo(e.input());
        }
        e.examples().forEach(x -> assertThat(x.output()).as(e.family()).isNotEmpty());
      }
    }
  }

  @Test
  void heldOutSplitsNeverLeakIntoTraining() {
    SplittableRandom r = new SplittableRandom(1);
    Set<String> train = new HashSet<>();
    for (int i = 0; i < 30_000; i++) {
      SuiteExample e = suite.sample(Split.TRAIN, 0, r);
      train.add(e.instruction());
      assertThat(InstructionSuite.isHeldOutInput(e.input())).isFalse();
      e.examples().forEach(x -> assertThat(InstructionSuite.isHeldOutInput(x.input())).isFalse());
      assertThat(InstructionSuite.HELD_OUT_PAIRS).doesNotContain(e.family());
    }
    for (Split s : Split.values()) {
      if (s != Split.TRAIN) {
        for (int i = 0; i < 2_000; i++) {
          SuiteExample e = suite.sample(s, 2, r);
          assertThat(InstructionSuite.isHeldOutInput(e.input())).as(s.name()).isTrue();
          if (s == Split.HELD_OUT_TEMPLATES || s == Split.FEW_SHOT_ONLY) { // the wording itself is new
            assertThat(train).as(s.name()).doesNotContain(e.instruction());
          }
        }
      }
    }
  }

  /**
   * Instructions written by someone who never saw the suite are still read with trained ids only:
   * unknown words fall back to characters, and every character occurs in training data (an
   * instruction, an input or an answer; the embedding is shared by all three).
   */
  @Test
  void plainEnglishInstructionsAreRepresentable() {
    try (var t = SuiteTokenizer.load()) {
      SplittableRandom r = new SplittableRandom(3);
      Set<Long> trained = new HashSet<>();
      for (int i = 0; i < 30_000; i++) {
        SuiteExample e = suite.sample(Split.TRAIN, 0, r);
        for (String text : List.of(e.instruction(), e.input(), e.output())) {
          for (long id : t.encode(text)) {
            trained.add(id);
          }
        }
      }
      int tokens = 0;
      for (int i = 0; i < 2_000; i++) {
        String instruction = suite.sample(Split.PLAIN_ENGLISH, 0, r).instruction();
        for (long id : t.encode(instruction)) {
          tokens++;
          assertThat(trained).as("token %d of \"%s\"", id, instruction).contains(id);
          assertThat(id).as("<unk> in \"%s\"", instruction).isNotEqualTo(2L);
        }
      }
      assertThat(tokens).isGreaterThan(10_000);
    }
  }

  /** Held-out templates are new combinations of trained parts: no held-out instruction may contain a token never trained. */
  @Test
  void everyTokenOfHeldOutInstructionsIsTrained() {
    try (var t = SuiteTokenizer.load()) {
      SplittableRandom r = new SplittableRandom(2);
      Set<Long> trained = new HashSet<>();
      for (int i = 0; i < 30_000; i++) {
        for (long id : t.encode(suite.sample(Split.TRAIN, 0, r).instruction())) {
          trained.add(id);
        }
      }
      for (Split s : Split.values()) {
        if (s == Split.TRAIN || s == Split.PLAIN_ENGLISH) { // plain English: see plainEnglishInstructionsAreRepresentable
          continue;
        }
        int tokens = 0;
        int untrained = 0;
        List<String> offenders = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
          String instruction = suite.sample(s, 2, r).instruction();
          for (long id : t.encode(instruction)) {
            tokens++;
            if (!trained.contains(id) || id == 2) {
              untrained++;
              offenders.add(instruction);
            }
          }
        }
        assertThat(untrained).as("%s: %d of %d tokens untrained, e.g. %s", s, untrained, tokens, offenders.stream().limit(3).toList())
            .isZero();
      }
    }
  }

  /** Parameters: every letter trained somewhere; held-out values are held-out (family, value) pairings. */
  @Test
  void heldOutParametersArePairingsOfTrainedValues() {
    Set<String> trainedValues = new HashSet<>();
    Families.ALL.forEach(f -> f.params().train().forEach(p -> trainedValues.add(p.a() + p.b())));
    Set<String> trainedLetters = new HashSet<>();
    Families.ALL.forEach(f -> f.params().train().forEach(p -> {
      trainedLetters.add(p.a());
      trainedLetters.add(p.b());
    }));
    for (char c = 'a'; c <= 'z'; c++) {
      assertThat(trainedLetters).contains(String.valueOf(c));
    }
    assertThat(trainedLetters).contains(".", "*", "4");
    for (Family f : Families.ALL) {
      Set<String> own = new HashSet<>();
      f.params().train().forEach(p -> own.add(p.a() + "|" + p.b()));
      for (Param held : f.params().heldOut()) {
        assertThat(own).as(f.id()).doesNotContain(held.a() + "|" + held.b());
        if (f.id().equals("replace")) {
          assertThat(trainedLetters).contains(held.a(), held.b()); // each side trained, the pair is new
        } else {
          assertThat(Families.ALL.stream().filter(g -> g != f).flatMap(g -> g.params().train().stream()).map(Param::a))
              .as("%s held-out value '%s' is trained in another family", f.id(), held.a()).contains(held.a());
        }
      }
    }
    assertThat(Families.byId("digit_shift").params().heldOut()).isEmpty(); // each offset is its own function: all trained
  }

  @Test
  void trainingMixAndInstructionLengthsLookLikeWhatPeopleType() {
    Set<String> fewShotOnly = Frames.FEW_SHOT_ONLY.expansions(100_000);
    SplittableRandom r = new SplittableRandom(3);
    int n = 20_000;
    int fewShot = 0;
    int compositions = 0;
    long words = 0;
    int singles = 0;
    int definitionStyle = 0;
    for (int i = 0; i < n; i++) {
      SuiteExample e = suite.sample(Split.TRAIN, 0, r);
      if (fewShotOnly.contains(e.instruction())) {
        fewShot++;
      } else if (e.family().contains("+")) {
        compositions++;
      } else {
        singles++;
        int w = e.instruction().split(" +").length;
        words += w;
        definitionStyle += w > 25 ? 1 : 0;
      }
    }
    assertThat(fewShot / (double) n).isBetween(0.23, 0.27);
    assertThat(compositions / (double) n).isBetween(0.10, 0.14);
    assertThat(words / (double) singles).as("mean words per single-task instruction").isBetween(5.0, 20.0);
    assertThat(definitionStyle / (double) singles).as("definition-style share").isBetween(0.05, 0.25);
  }

  /** Hundreds of phrasings per family, and no phrasing that means two rules on the same kind of input. */
  @Test
  void familiesHaveHundredsOfPhrasingsAndNoTwoShareOne() {
    List<Set<String>> phrasings = new ArrayList<>();
    for (Family f : Families.ALL) {
      Set<String> all = new HashSet<>(f.imperative().expansions(Phrasings.CAP));
      all.addAll(f.standalone().expansions(Phrasings.CAP));
      assertThat(all.size()).as(f.id()).isGreaterThanOrEqualTo(150);
      phrasings.add(all);
    }
    for (int i = 0; i < Families.ALL.size(); i++) {
      for (int j = i + 1; j < Families.ALL.size(); j++) {
        Family a = Families.ALL.get(i);
        Family b = Families.ALL.get(j);
        if (a.input() == b.input()) {
          Set<String> shared = new HashSet<>(phrasings.get(i));
          shared.retainAll(phrasings.get(j));
          assertThat(shared).as("%s and %s", a.id(), b.id()).isEmpty();
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
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no held-out parameter");
  }
}
