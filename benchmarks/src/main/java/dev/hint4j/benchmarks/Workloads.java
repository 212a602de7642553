package dev.hint4j.benchmarks;

import dev.hint4j.Example;
import dev.hint4j.HintModel;
import dev.hint4j.PromptFormat;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.internal.tokenize.TokenizerJsonWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Texts of exact token lengths for one model: every word used is a single piece of the model's
 * tokenizer, so lengths are exact rather than approximate, whichever vocabulary the model has.
 */
public final class Workloads {
  /** Tokens of each benchmark input (EOS included) and of each generated answer. */
  public static final int INPUT_TOKENS = 16;
  public static final int OUTPUT_TOKENS = 16;
  /** Words per few-shot example input and output. */
  public static final int EXAMPLE_WORDS = 8;

  private final HintModel model;
  private final List<String> words = new ArrayList<>();

  public Workloads(HintModel model) {
    this.model = model;
    // The words the demo model's tokenizer was built from, then those of the test vocabularies.
    Set<String> candidates = new LinkedHashSet<>(InstructionSuite.instructionWords());
    candidates.addAll(TokenizerJsonWriter.defaultWords());
    long unk = model.config().unkId();
    for (String w : candidates) {
      // One piece at the start of a text and after a space (plus EOS): a tokenizer of characters and
      // words may have a word's bare form as a piece but spell out its form after a space.
      long[] ids = model.tokenizer().encode(w + " " + w);
      if (ids.length == 3 && ids[0] != unk && ids[1] != unk) {
        words.add(w);
      }
    }
    if (words.size() < 20) {
      throw new IllegalStateException("the model's tokenizer has too few single-piece words for the benchmarks");
    }
  }

  /** {@code n} words, varied by {@code seed}. */
  public String words(int n, int seed) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : " ").append(words.get(Math.floorMod(i * 31 + seed * 17, words.size())));
    }
    return sb.toString();
  }

  /** An input of {@link #INPUT_TOKENS} tokens. */
  public String input(int seed) {
    return words(INPUT_TOKENS - 1, 1000 + seed);
  }

  /** {@code shots} examples of {@link #EXAMPLE_WORDS} words in and out. */
  public List<Example> examples(int shots) {
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < shots; i++) {
      out.add(Example.of(words(EXAMPLE_WORDS, 2000 + i), words(EXAMPLE_WORDS, 3000 + i)));
    }
    return out;
  }

  /**
   * An instruction whose task text (what the hypernetwork or the concatenated prompt reads:
   * instruction and examples, EOS included) is exactly {@code tokens} long; the shortest possible
   * instruction when {@code tokens} is smaller than the examples alone.
   */
  public String instruction(int tokens, List<Example> examples, int seed) {
    int n = Math.max(1, tokens - 1);
    while (n > 1 && taskTokens(words(n, seed), examples) > tokens) {
      n--;
    }
    while (taskTokens(words(n, seed), examples) < tokens) {
      n++;
    }
    return words(n, seed);
  }

  /** Tokens of the task text of {@code instruction} and {@code examples}. */
  public int taskTokens(String instruction, List<Example> examples) {
    return model.tokenizer().encode(PromptFormat.taskText(instruction, examples)).length;
  }
}
