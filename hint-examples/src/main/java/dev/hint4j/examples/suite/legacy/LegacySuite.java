package dev.hint4j.examples.suite.legacy;

import dev.hint4j.Example;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.examples.suite.Suite;
import dev.hint4j.examples.suite.SuiteExample;
import dev.hint4j.examples.suite.SuiteTask;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * The first instruction suite, unchanged: the data the shipped demo models were trained on, kept
 * so that their tests and demo measure them on their own wording (Metaspace tokenizer, three
 * definition-style phrasings per family) until models trained on {@link dev.hint4j.examples.suite.InstructionSuite}
 * replace them. Known flaw kept as it was: rare compositions can throw on an empty string.
 *
 * <p>Its original description follows.
 *
 * <p>A procedural suite of string tasks described in natural language (see the suite README for
 * examples of every split). Instructions are definition-style: a framing sentence about the
 * input, the family's rule, and a sentence about the answer's form. Everything is drawn from a
 * {@link SplittableRandom}, so a seed fixes the data.
 */
public final class LegacySuite implements Suite {
  private static final List<String[]> TRAIN_FRAMES = List.of(
      new String[] {"In this task you are given a short string as input, and you must change it by following one rule.",
          "Give only the resulting string as the answer, with nothing else."},
      new String[] {"You will receive a piece of text as the input of this task, and you have to transform it.",
          "Write just the output, without any explanation."},
      new String[] {"The input is a string of characters, and the following rule tells you how to change it.",
          "The answer must contain only the result."},
      new String[] {"Read the input carefully and follow the rule below to produce the output.",
          "Do not add any other words to your answer."});
  private static final String[] HELD_OUT_FRAME =
      {"Below you find an input text, and a rule that says how the text has to be changed.", "Answer with the changed text alone."};
  private static final List<String> FEW_SHOT_ONLY_TRAIN = List.of(
      "Look at the examples and apply the same transformation to the input.",
      "The examples show a hidden rule; apply that rule to the input.");
  private static final String FEW_SHOT_ONLY_HELD_OUT = "Figure out the rule from the examples and use it on the input.";
  /** Compositions never trained; every other ordered pair of composable families is. */
  static final Set<String> HELD_OUT_PAIRS = Set.of("reverse+sort", "double+swap_ends", "remove_vowels+mirror",
      "shift_next+reverse", "dedupe+double", "rotate_left+uppercase", "mirror+capitalize", "sort+drop_first");
  /** Case changers only end a chain: the letter rules after them expect lowercase. */
  private static final Set<String> LAST_ONLY = Set.of("uppercase", "capitalize");

  private final Set<String> vocabulary;

  /** @param vocabulary words the tokenizer keeps whole; generated inputs avoid them so inputs stay letter-level */
  public LegacySuite(Set<String> vocabulary) {
    this.vocabulary = vocabulary;
  }

  /** Every word any instruction of the suite uses (for the tokenizer). */
  public static Set<String> instructionWords() {
    Set<String> words = new LinkedHashSet<>();
    List<String> texts = new ArrayList<>();
    for (String[] f : TRAIN_FRAMES) {
      texts.addAll(List.of(f));
    }
    texts.addAll(List.of(HELD_OUT_FRAME));
    texts.addAll(FEW_SHOT_ONLY_TRAIN);
    texts.add(FEW_SHOT_ONLY_HELD_OUT);
    texts.add("First, Then, Example input: Example output: Input:");
    for (Family f : Families.ALL) {
      for (String p : f.phrasings()) {
        texts.add(p.replace("{x}", "").replace("{y}", ""));
      }
      f.params().train().forEach(p -> texts.add(p.x()));
      f.params().heldOut().forEach(p -> texts.add(p.x()));
    }
    for (String t : texts) {
      for (String w : t.split("[ ]+")) {
        String clean = w.replaceAll("[^A-Za-z]", "");
        if (clean.length() > 2) { // shorter words are spelled out: they would match the start of too many inputs
          words.add(clean);
        }
      }
    }
    return words;
  }

  /** One example of {@code split}; FEW_SHOT_ONLY gets {@code shots} examples, other splits draw 0–3 in TRAIN. */
  @Override
  public SuiteExample sample(Split split, int shots, SplittableRandom r) {
    return switch (split) {
      case TRAIN -> {
        double u = r.nextDouble();
        if (u < 0.12) {
          yield composition(split, false, r);
        }
        if (u < 0.22) {
          yield fewShotOnly(split, 2 + r.nextInt(3), false, r);
        }
        yield single(split, pick(Families.ALL, r), r.nextDouble() < 0.3 ? 1 + r.nextInt(3) : 0, r);
      }
      case HELD_OUT_INPUTS, HELD_OUT_TEMPLATES -> single(split, pick(Families.ALL, r), shots, r);
      case HELD_OUT_PARAMS -> single(split, pick(Families.ALL.stream().filter(f -> !f.params().isEmpty()).toList(), r), shots, r);
      case HELD_OUT_COMPOSITIONS -> composition(split, true, r);
      case FEW_SHOT_ONLY -> fewShotOnly(split, shots, true, r);
      case PLAIN_ENGLISH -> single(split, pick(Families.ALL, r), shots, r);
    };
  }

  private SuiteExample single(Split split, Family f, int shots, SplittableRandom r) {
    return singleTask(split, f, shots, r).example(r);
  }

  /**
   * A task of one family from {@code split} (not compositions) with {@code shots} examples;
   * FEW_SHOT_ONLY gives the family's rule only through the examples.
   */
  @Override
  public SuiteTask task(Split split, String familyId, int shots, SplittableRandom r) {
    Family f = Families.byId(familyId);
    return switch (split) {
      case HELD_OUT_COMPOSITIONS -> throw new IllegalArgumentException("compositions are drawn by sample(), not by family");
      case FEW_SHOT_ONLY -> fewShotOnlyTask(split, f, shots, true, r);
      case HELD_OUT_PARAMS -> {
        if (f.params().isEmpty()) {
          throw new IllegalArgumentException(familyId + " takes no parameter, so it has no held-out parameter values");
        }
        yield singleTask(split, f, shots, r);
      }
      default -> singleTask(split, f, shots, r);
    };
  }

  /** Ids of all task families, in catalogue order. */
  public static List<String> familyIds() {
    return Families.ALL.stream().map(Family::id).toList();
  }

  private SuiteTask singleTask(Split split, Family f, int shots, SplittableRandom r) {
    boolean heldTemplate = split == Split.HELD_OUT_TEMPLATES;
    Param p = f.params().pick(split == Split.HELD_OUT_PARAMS, r);
    if (split == Split.PLAIN_ENGLISH) {
      String plain = dev.hint4j.examples.suite.PlainEnglish.instruction(f.id(), p == null ? null : p.x(), p == null ? null : p.y(), r);
      return withExamples(split, f, p, plain, shots, true, r);
    }
    String phrasing = heldTemplate ? f.heldOutPhrasing() : pick(f.trainPhrasings(), r);
    String[] frame = heldTemplate ? HELD_OUT_FRAME : pick(TRAIN_FRAMES, r);
    String instruction = frame[0] + " " + f.describe(phrasing, p) + " " + frame[1];
    boolean heldInput = split != Split.TRAIN;
    return withExamples(split, f, p, instruction, shots, heldInput, r);
  }

  private SuiteTask withExamples(Split split, Family f, Param p, String instruction, int shots, boolean heldInput,
      SplittableRandom r) {
    UnaryOperator<String> rule = in -> f.apply().apply(in, p);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < shots; i++) {
      String in = input(f.input(), p, heldInput, r);
      examples.add(Example.of(in, rule.apply(in)));
    }
    return new SuiteTask(split, f.id(), instruction, List.copyOf(examples), rule, rr -> input(f.input(), p, heldInput, rr));
  }

  private SuiteExample composition(Split split, boolean heldOutPair, SplittableRandom r) {
    Family a;
    Family b;
    while (true) {
      a = Families.byId(pick(Families.COMPOSABLE, r));
      b = Families.byId(pick(Families.COMPOSABLE, r));
      boolean held = HELD_OUT_PAIRS.contains(a.id() + "+" + b.id());
      if (a != b && !LAST_ONLY.contains(a.id()) && held == heldOutPair) {
        break;
      }
    }
    String[] frame = pick(TRAIN_FRAMES, r);
    String instruction = frame[0] + " First, " + lowerFirst(pick(a.trainPhrasings(), r)) + " Then, "
        + lowerFirst(pick(b.trainPhrasings(), r)) + " " + frame[1];
    String in = input(Family.InputKind.LETTERS, null, split != Split.TRAIN, r);
    String out = b.apply().apply(a.apply().apply(in, null), null);
    return new SuiteExample(split, a.id() + "+" + b.id(), instruction, List.of(), in, out);
  }

  private SuiteExample fewShotOnly(Split split, int shots, boolean heldOut, SplittableRandom r) {
    return fewShotOnlyTask(split, pick(Families.ALL, r), shots, heldOut, r).example(r);
  }

  private SuiteTask fewShotOnlyTask(Split split, Family f, int shots, boolean heldOut, SplittableRandom r) {
    Param p = f.params().pick(false, r);
    String instruction = heldOut ? FEW_SHOT_ONLY_HELD_OUT : pick(FEW_SHOT_ONLY_TRAIN, r);
    return withExamples(split, f, p, instruction, shots, heldOut, r);
  }

  /** A random input of the kind; letter inputs mention the parameter letter so the rule matters. */
  String input(Family.InputKind kind, Param p, boolean heldOut, SplittableRandom r) {
    while (true) {
      String s = switch (kind) {
        case LETTERS -> letters(3 + r.nextInt(5), r);
        case WORDS -> {
          int n = 2 + r.nextInt(3);
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(letters(2 + r.nextInt(4), r));
          }
          yield sb.toString();
        }
        case DIGITS -> {
          StringBuilder sb = new StringBuilder();
          int n = 2 + r.nextInt(5);
          for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
          }
          yield sb.toString();
        }
      };
      if (kind == Family.InputKind.LETTERS && p != null && p.a().length() == 1 && Character.isLetter(p.a().charAt(0))
          && r.nextDouble() < 0.8) {
        int at = r.nextInt(s.length());
        s = s.substring(0, at) + p.a() + s.substring(at + 1);
      }
      if (!startsWithVocabularyWord(s) && isHeldOutInput(s) == heldOut) {
        return s;
      }
    }
  }

  /**
   * True when a word of {@code s} begins with a whole-word piece of the tokenizer: the tokenizer
   * would then read those letters as one token, and letter tasks need every letter visible.
   */
  private boolean startsWithVocabularyWord(String s) {
    for (String w : s.split(" ")) {
      String capitalized = Character.toUpperCase(w.charAt(0)) + w.substring(1); // outputs may capitalize it
      for (int end = 1; end <= w.length(); end++) {
        if (vocabulary.contains(w.substring(0, end)) || vocabulary.contains(capitalized.substring(0, end))) {
          return true;
        }
      }
    }
    return false;
  }

  /** A fixed eighth of all strings belongs to the held-out inputs, whatever the task. */
  static boolean isHeldOutInput(String s) {
    return Math.floorMod(s.hashCode() * 0x9E3779B9, 8) == 0;
  }

  private static String letters(int n, SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + r.nextInt(26)));
    }
    return sb.toString();
  }

  private static String lowerFirst(String s) {
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private static <T> T pick(List<T> l, SplittableRandom r) {
    return l.get(r.nextInt(l.size()));
  }
}
