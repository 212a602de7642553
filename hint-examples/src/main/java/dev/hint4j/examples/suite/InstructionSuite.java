package dev.hint4j.examples.suite;

import dev.hint4j.Example;
import dev.hint4j.PromptFormat;
import dev.hint4j.internal.tokenize.HintTokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A procedural suite of string tasks described in plain English (see SUITE.md for examples of every
 * split). An instruction is a family's core phrase drawn from its grammar ({@link Families}) inside
 * a frame ({@link Frames}): mostly short requests the way people type them, a minority of
 * definition-style ones. Held-out templates are held-out combinations of (frame, core
 * phrasing), so every word of a held-out instruction is trained in other combinations. Everything
 * is drawn from a {@link SplittableRandom}, so a seed fixes the data.
 */
public final class InstructionSuite {
  /** Compositions never trained; every other ordered pair of composable families is. */
  static final Set<String> HELD_OUT_PAIRS = Set.of("reverse+sort", "double+swap_ends", "remove_vowels+mirror",
      "shift_next+reverse", "dedupe+double", "rotate_left+uppercase", "mirror+capitalize", "sort+drop_first");
  private static final String COPY = "copy";
  /** Case changers only end a chain: the letter rules after them expect lowercase. */
  private static final Set<String> LAST_ONLY = Set.of("uppercase", "capitalize");
  /** Shares of the training split. */
  static final double COMPOSITIONS = 0.12;
  static final double FEW_SHOT_ONLY = 0.25;
  private static final double DEFINITION_STYLE = 0.15;
  private static final double STANDALONE = 0.25;
  /** One (frame, core) combination in this many is held out of training. */
  private static final int HELD_OUT_TEMPLATE_ONE_IN = 7;

  private final Predicate<String> letterByLetter;

  /** @param letterByLetter true for strings the model's tokenizer reads one character per token; inputs and outputs must be */
  public InstructionSuite(Predicate<String> letterByLetter) {
    this.letterByLetter = letterByLetter;
  }

  /**
   * The suite for a tokenizer that keeps {@code words} whole ({@link dev.hint4j.internal.tokenize.CharWordTokenizerJson}):
   * inputs and outputs avoid a listed word standing alone (between non-letters), conservative
   * where digits or '_' join it to its neighbours.
   */
  public static InstructionSuite forWords(Set<String> words) {
    return new InstructionSuite(s -> {
      Matcher m = LETTER_RUN.matcher(s);
      while (m.find()) {
        if (words.contains(m.group())) {
          return false;
        }
      }
      return true;
    });
  }

  /** The suite whose inputs the given tokenizer reads letter by letter (every token decodes to at most one character). */
  public static InstructionSuite forTokenizer(dev.hint4j.Tokenizer tokenizer) {
    Map<Long, Boolean> single = new ConcurrentHashMap<>();
    return new InstructionSuite(s -> {
      for (long id : tokenizer.encode(s)) {
        if (!single.computeIfAbsent(id, i -> tokenizer.decode(new long[] {i}).length() <= 1)) {
          return false;
        }
      }
      return true;
    });
  }

  /** The default suite: the one for the tokenizer over {@link #tokenizerPieces()}. */
  public static InstructionSuite standard() {
    return forWords(instructionWords());
  }

  private static final Pattern LETTER_RUN = Pattern.compile("[A-Za-z]+");
  /** Training examples drawn to learn the vocabulary, and how often a word piece must occur in their instructions. */
  static final int VOCABULARY_SAMPLE = 20_000;
  static final int VOCABULARY_MIN_COUNT = 10;

  /**
   * The whole-word tokens of the suite's tokenizer: word pieces of the training instructions (two
   * letters or more, case kept, bare or with the space before them, as the tokenizer reads them)
   * that occur at least {@value #VOCABULARY_MIN_COUNT} times in the instructions of
   * {@value #VOCABULARY_SAMPLE} training examples drawn with seed 0, plus the words
   * {@link PromptFormat} puts around examples and inputs. Rarer forms are spelled out, so every
   * token of the tokenizer is well trained.
   */
  public static Set<String> tokenizerPieces() {
    return VocabularyHolder.PIECES;
  }

  /** The words of {@link #tokenizerPieces()}, without their spaces. */
  public static Set<String> instructionWords() {
    return VocabularyHolder.WORDS;
  }

  private static final class VocabularyHolder {
    static final Set<String> PIECES = learnPieces();
    static final Set<String> WORDS = strip(PIECES);

    private static Set<String> strip(Set<String> pieces) {
      Set<String> words = new LinkedHashSet<>();
      pieces.forEach(p -> words.add(p.strip()));
      return java.util.Collections.unmodifiableSet(words);
    }

    private static Set<String> learnPieces() {
      InstructionSuite any = new InstructionSuite(s -> true);
      SplittableRandom r = new SplittableRandom(0);
      Map<String, Integer> counts = new HashMap<>();
      // The words the prompt format puts around few-shot examples and the baseline's input.
      String promptWords = PromptFormat.concatenated("", List.of(Example.of("x", "x")), "x");
      for (int i = 0; i < VOCABULARY_SAMPLE; i++) {
        String text = i < VOCABULARY_MIN_COUNT ? promptWords : any.sample(Split.TRAIN, 0, r).instruction();
        Matcher m = LETTER_RUN.matcher(text);
        while (m.find()) {
          if (m.group().length() > 1) {
            boolean spaced = m.start() > 0 && text.charAt(m.start() - 1) == ' ';
            counts.merge(spaced ? " " + m.group() : m.group(), 1, Integer::sum);
          }
        }
      }
      Set<String> pieces = new LinkedHashSet<>();
      new TreeMap<>(counts).forEach((w, n) -> {
        if (n >= VOCABULARY_MIN_COUNT) {
          pieces.add(w);
        }
      });
      return java.util.Collections.unmodifiableSet(pieces);
    }
  }

  /** One example of {@code split}; FEW_SHOT_ONLY gets {@code shots} examples, other splits draw 0–3 in TRAIN. */
  public SuiteExample sample(Split split, int shots, SplittableRandom r) {
    return sampleTask(split, shots, r).example(r);
  }

  /**
   * One task of {@code split}, drawn as {@link #sample} draws its example's task (compositions and
   * few-shot-only tasks included), so that one task can be asked several inputs.
   */
  public SuiteTask sampleTask(Split split, int shots, SplittableRandom r) {
    return switch (split) {
      case TRAIN -> {
        double u = r.nextDouble();
        if (u < COMPOSITIONS) {
          yield compositionTask(split, false, r);
        }
        if (u < COMPOSITIONS + FEW_SHOT_ONLY) {
          int fewShots = 2 + r.nextInt(3); // drawn before the family, as sample() always has
          yield fewShotOnlyTask(split, pick(Families.ALL, r), fewShots, false, r);
        }
        yield singleTask(split, pick(Families.ALL, r), r.nextDouble() < 0.3 ? 1 + r.nextInt(3) : 0, r);
      }
      case HELD_OUT_INPUTS, HELD_OUT_TEMPLATES -> singleTask(split, pick(Families.ALL, r), shots, r);
      case HELD_OUT_PARAMS -> singleTask(split, pick(Families.ALL.stream().filter(f -> !f.params().heldOut().isEmpty()).toList(), r),
          shots, r);
      case HELD_OUT_COMPOSITIONS -> compositionTask(split, true, r);
      case FEW_SHOT_ONLY -> fewShotOnlyTask(split, pick(Families.ALL, r), shots, true, r);
      case PLAIN_ENGLISH -> plainEnglishTask(pick(Families.ALL, r), shots, r);
    };
  }

  /**
   * A task of one family from {@code split} (not compositions) with {@code shots} examples;
   * FEW_SHOT_ONLY gives the family's rule only through the examples.
   */
  public SuiteTask task(Split split, String familyId, int shots, SplittableRandom r) {
    Family f = Families.byId(familyId);
    return switch (split) {
      case HELD_OUT_COMPOSITIONS -> throw new IllegalArgumentException("compositions are drawn by sample(), not by family");
      case FEW_SHOT_ONLY -> fewShotOnlyTask(split, f, shots, true, r);
      case PLAIN_ENGLISH -> plainEnglishTask(f, shots, r);
      case HELD_OUT_PARAMS -> {
        if (f.params().heldOut().isEmpty()) {
          throw new IllegalArgumentException(familyId + " has no held-out parameter values (it takes no parameter,"
              + " or all its values are trained)");
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

  /** A training task (trained parameter values) worded in {@link PlainEnglish}, on held-out inputs. */
  private SuiteTask plainEnglishTask(Family f, int shots, SplittableRandom r) {
    Param p = f.params().pick(false, r);
    return withExamples(Split.PLAIN_ENGLISH, f, p, PlainEnglish.instruction(f.id(), p == null ? null : p.x(), p == null ? null : p.y(), r), shots, true, r);
  }

  private SuiteTask singleTask(Split split, Family f, int shots, SplittableRandom r) {
    Param p = f.params().pick(split == Split.HELD_OUT_PARAMS, r);
    String instruction = instruction(f, split == Split.HELD_OUT_TEMPLATES, p, r);
    return withExamples(split, f, p, instruction, shots, split != Split.TRAIN, r);
  }

  /** An instruction of {@code f} from a (frame, core) combination on the training side, or on the held-out side. */
  String instruction(Family f, boolean heldOutTemplate, Param p, SplittableRandom r) {
    while (true) {
      String frame;
      String core;
      String text;
      if (!f.standalone().isEmpty() && r.nextDouble() < STANDALONE) {
        frame = Frames.QUESTION.draw(r);
        core = f.standalone().draw(r);
        text = frame.replace("{Q}", upperFirst(core)).replace("{q}", core);
      } else {
        frame = (r.nextDouble() < DEFINITION_STYLE ? Frames.DEFINITION : Frames.SHORT).draw(r);
        core = f.imperative().draw(r);
        text = frame.replace("{C}", upperFirst(core)).replace("{c}", core);
      }
      if (isHeldOutTemplate(frame, core) == heldOutTemplate) {
        text = text.replace("{n}", Frames.NOUN.get(f.input()).draw(r));
        return p == null ? text : text.replace("{x}", p.x()).replace("{y}", p.y());
      }
    }
  }

  /**
   * A fixed seventh of all (frame, core phrasing) combinations is held out of training. The family
   * is not part of it: wording two families share ("what is the input written backwards?" for
   * letters and for digits) is held out for both or for neither.
   */
  static boolean isHeldOutTemplate(String frame, String core) {
    return Math.floorMod((frame + '\u0000' + core).hashCode() * 0x9E3779B9, HELD_OUT_TEMPLATE_ONE_IN) == 0;
  }

  private SuiteTask withExamples(Split split, Family f, Param p, String instruction, int shots, boolean heldInput,
      SplittableRandom r) {
    UnaryOperator<String> rule = in -> f.apply().apply(in, p);
    boolean identityOk = f.id().equals(COPY);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < shots; i++) {
      String in = input(f.input(), p, rule, identityOk, heldInput, r);
      examples.add(Example.of(in, rule.apply(in)));
    }
    return new SuiteTask(split, f.id(), instruction, List.copyOf(examples), rule,
        rr -> input(f.input(), p, rule, identityOk, heldInput, rr));
  }

  private SuiteTask compositionTask(Split split, boolean heldOutPair, SplittableRandom r) {
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
    String frame = Frames.COMPOSITION.draw(r);
    String first = trainingCore(a, frame, r);
    String then = trainingCore(b, frame, r);
    String text = frame.replace("{A}", upperFirst(first)).replace("{a}", first).replace("{b}", then);
    if (r.nextDouble() < DEFINITION_STYLE) {
      String definition = Frames.DEFINITION.draw(r);
      text = definition.replace("{C}.", text.endsWith(".") ? text : text + ".");
    }
    Family fa = a;
    Family fb = b;
    UnaryOperator<String> rule = s -> fb.apply().apply(fa.apply().apply(s, null), null);
    boolean heldInput = split != Split.TRAIN;
    return new SuiteTask(split, a.id() + "+" + b.id(), text, List.of(), rule,
        rr -> input(Family.InputKind.LETTERS, null, rule, false, heldInput, rr));
  }

  /** A core phrasing of {@code f} that the training side uses inside {@code frame}. */
  private static String trainingCore(Family f, String frame, SplittableRandom r) {
    while (true) {
      String core = f.imperative().draw(r);
      if (!isHeldOutTemplate(frame, core)) {
        return core;
      }
    }
  }

  private SuiteTask fewShotOnlyTask(Split split, Family f, int shots, boolean heldOut, SplittableRandom r) {
    Param p = f.params().pick(false, r);
    String instruction;
    do {
      instruction = Frames.FEW_SHOT_ONLY.draw(r);
    } while (isHeldOutTemplate("", instruction) != heldOut);
    return withExamples(split, f, p, instruction, shots, heldOut, r);
  }

  /**
   * A random input of the kind whose output under {@code rule} is not empty, and differs from it
   * unless {@code identityOk} (an unchanged answer shows nothing of the rule and rewards copying),
   * both read letter by letter; letter inputs mention the parameter letter so the rule matters.
   */
  String input(Family.InputKind kind, Param p, UnaryOperator<String> rule, boolean identityOk, boolean heldOut,
      SplittableRandom r) {
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
      if (isHeldOutInput(s) != heldOut || !letterByLetter.test(s)) {
        continue;
      }
      String out = rule.apply(s);
      if (!out.isEmpty() && (identityOk || !out.equals(s)) && letterByLetter.test(out)) {
        return s;
      }
    }
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

  private static String upperFirst(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static <T> T pick(List<T> l, SplittableRandom r) {
    return l.get(r.nextInt(l.size()));
  }
}
