package dev.hint4j.examples.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Parameter values a family is trained on, and values kept for the held-out-parameters split.
 * Held-out values are held-out (family, value) combinations: every value is trained in some other
 * family, so the held-out split asks for a new pairing, never for a token the model has not seen.
 */
record ParamSpace(List<Param> train, List<Param> heldOut) {
  static final ParamSpace NONE = new ParamSpace(List.of(), List.of());
  /** Families taking one letter; family {@code k} holds out the letters c with (c - 'a' + k) % 5 == 0. */
  static final int LETTER_FAMILIES = 5;

  /**
   * Letters for the {@code k}-th of the {@link #LETTER_FAMILIES} one-letter families: each letter
   * is held out in exactly one of them and trained in the other four.
   */
  static ParamSpace letter(int k) {
    List<Param> train = new ArrayList<>();
    List<Param> held = new ArrayList<>();
    for (char c = 'a'; c <= 'z'; c++) {
      (isHeldOutLetter(c, k) ? held : train).addAll(Param.letterNamings(c));
    }
    return new ParamSpace(train, held);
  }

  static boolean isHeldOutLetter(char c, int k) {
    return (c - 'a' + k) % LETTER_FAMILIES == 0;
  }

  /** Pairs of distinct letters; about a fifth of the (from, to) pairs are held out, every letter is trained on both sides. */
  static ParamSpace letterPair() {
    List<Param> train = new ArrayList<>();
    List<Param> held = new ArrayList<>();
    for (char c = 'a'; c <= 'z'; c++) {
      for (char d = 'a'; d <= 'z'; d++) {
        if (c != d) {
          (isHeldOutPair(c, d) ? held : train).addAll(Param.pairNamings(c, d));
        }
      }
    }
    return new ParamSpace(train, held);
  }

  static boolean isHeldOutPair(char c, char d) {
    return (7 * (c - 'a') + 3 * (d - 'a')) % 5 == 0;
  }

  static ParamSpace numbers(List<Integer> train, List<Integer> heldOut) {
    return new ParamSpace(train.stream().flatMap(n -> Param.numberNamings(n).stream()).toList(),
        heldOut.stream().flatMap(n -> Param.numberNamings(n).stream()).toList());
  }

  /** Separators by name and symbol: printable ASCII punctuation, so the suite trains every such character. */
  static final List<String[]> SEPARATORS = List.of(
      new String[] {"a dash", "-"}, new String[] {"a hyphen", "-"}, new String[] {"an underscore", "_"},
      new String[] {"a plus sign", "+"}, new String[] {"a dot", "."}, new String[] {"a full stop", "."},
      new String[] {"a star", "*"}, new String[] {"an asterisk", "*"}, new String[] {"a comma", ","},
      new String[] {"a slash", "/"}, new String[] {"a pipe", "|"}, new String[] {"a colon", ":"},
      new String[] {"a semicolon", ";"}, new String[] {"a hash sign", "#"}, new String[] {"an at sign", "@"},
      new String[] {"an ampersand", "&"}, new String[] {"a tilde", "~"}, new String[] {"an equals sign", "="},
      new String[] {"an exclamation mark", "!"}, new String[] {"a question mark", "?"}, new String[] {"a percent sign", "%"},
      new String[] {"a dollar sign", "$"}, new String[] {"a caret", "^"}, new String[] {"a backslash", "\\"},
      new String[] {"a backtick", "`"}, new String[] {"a less-than sign", "<"}, new String[] {"a greater-than sign", ">"},
      new String[] {"an opening bracket", "["}, new String[] {"a closing bracket", "]"}, new String[] {"an opening brace", "{"},
      new String[] {"a closing brace", "}"}, new String[] {"an opening parenthesis", "("}, new String[] {"a closing parenthesis", ")"},
      new String[] {"a double quote", "\""}, new String[] {"an apostrophe", "'"});

  /**
   * Separators for one of the two separator families: {@code k} (0 or 2) holds out the symbols whose
   * position i has i % 4 == k, so each is trained in the other family. {@code withSpace} adds the
   * space (always trained): joining words with a space would change nothing.
   */
  static ParamSpace separators(int k, boolean withSpace) {
    List<Param> train = new ArrayList<>();
    List<Param> held = new ArrayList<>();
    List<String> symbols = SEPARATORS.stream().map(s -> s[1]).distinct().toList();
    for (String[] s : SEPARATORS) {
      (symbols.indexOf(s[1]) % 4 == k ? held : train).addAll(Param.separatorNamings(s[0], s[1]));
    }
    if (withSpace) {
      train.add(new Param("a space", "", " ", ""));
      train.add(new Param("spaces", "", " ", ""));
      train.add(new Param("a space ' '", "", " ", ""));
    }
    return new ParamSpace(train, held);
  }

  boolean isEmpty() {
    return train.isEmpty();
  }

  Param pick(boolean heldOutValues, SplittableRandom r) {
    List<Param> from = heldOutValues ? heldOut : train;
    return from.isEmpty() ? null : from.get(r.nextInt(from.size()));
  }
}
