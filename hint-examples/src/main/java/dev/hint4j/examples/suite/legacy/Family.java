package dev.hint4j.examples.suite.legacy;

import java.util.List;
import java.util.function.BiFunction;

/**
 * One kind of string task: how its inputs look, which parameter it takes (a letter, a pair of
 * letters, a separator, a number, or none), what it computes, and how it is described. The last
 * phrasing is held out of training (the held-out-templates split).
 *
 * @param id short name, e.g. "reverse"
 * @param input what its inputs look like
 * @param params its parameter space (train and held-out values)
 * @param apply the rule: (input, parameter) → output
 * @param phrasings core sentences naming the parameter as {x} and {y}; all but the last are for training
 */
record Family(String id, InputKind input, ParamSpace params, BiFunction<String, Param, String> apply, List<String> phrasings) {
  Family {
    if (phrasings.size() < 3) {
      throw new IllegalArgumentException(id + ": needs at least two training phrasings and one held-out phrasing");
    }
  }

  List<String> trainPhrasings() {
    return phrasings.subList(0, phrasings.size() - 1);
  }

  String heldOutPhrasing() {
    return phrasings.get(phrasings.size() - 1);
  }

  /** The core sentence with the parameter filled in. */
  String describe(String phrasing, Param p) {
    return p == null ? phrasing : phrasing.replace("{x}", p.x()).replace("{y}", p.y());
  }

  /** What inputs look like. */
  enum InputKind { LETTERS, WORDS, DIGITS }
}
