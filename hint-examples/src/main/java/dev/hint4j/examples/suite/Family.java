package dev.hint4j.examples.suite;

import java.util.function.BiFunction;

/**
 * One kind of string task: how its inputs look, which parameter it takes (a letter, a pair of
 * letters, a separator, a number, or none), what it computes, and how people ask for it.
 *
 * @param id short name, e.g. "reverse"
 * @param input what its inputs look like
 * @param params its parameter space (train and held-out values)
 * @param apply the rule: (input, parameter) → output; total on every string, the empty one included
 * @param imperative the rule as a command starting lowercase ("reverse it"), naming the parameter
 *     {x} (and {y}); frames add politeness, context and punctuation around it
 * @param standalone whole sentences used without a frame, mostly questions ("what is it backwards?");
 *     may be empty
 */
record Family(String id, InputKind input, ParamSpace params, BiFunction<String, Param, String> apply, Grammar imperative,
    Grammar standalone) {

  /** What inputs look like. */
  enum InputKind { LETTERS, WORDS, DIGITS }
}
