package dev.hint4j.examples.suite;

import java.util.Map;

/**
 * What surrounds a family's core phrase: short frames the way people type requests ({c} is the
 * core starting lowercase, {C} capitalized, {n} what the input is, e.g. "a word"), a minority of
 * definition-style frames (a sentence about the input, the rule, a sentence about the answer),
 * frames for standalone questions ({q}/{Q}), two-step compositions ({a}/{A} then {b}) and the
 * instructions of few-shot-only tasks, which name no rule.
 */
final class Frames {
  private Frames() {}

  private static final Map<String, String> NONE = Map.of();

  static final Grammar SHORT = Grammar.of(NONE,
      "{C}[.||!]",
      "{c}[.|]",
      "{C}[,|] please[.|]",
      "[please|pls|kindly|just|now] {c}[.||!]",
      "[Please|Kindly|Just|Now] {c}[.||!]",
      "[Can|Could|Would|Will] you [please |]{c}?",
      "I [want|need|would like] you to {c}[.|]",
      "I'd like you to {c}.",
      "[Task|Your task|Instruction|Rule|Goal]: {c}[.|]",
      "Your [task|job] is to {c}.",
      "Given {n}, {c}.",
      "{C}. [Answer|Reply|Respond] with the [result|answer] only.",
      "{C}. [Give|Output|Return|Write] [only|just] the [result|answer].",
      "Help me {c}.",
      "{C} for me[.|]");

  static final Grammar DEFINITION = Grammar.of(NONE,
      "In this task you are given a short string as input, and you must change it by following one rule. {C}. "
          + "Give only the resulting string as the answer, with nothing else.",
      "You will receive a piece of text as the input of this task, and you have to transform it. {C}. "
          + "Write just the output, without any explanation.",
      "The input is a string of characters, and the following rule tells you how to change it. {C}. "
          + "The answer must contain only the result.",
      "Read the input carefully and follow the rule below to produce the output. {C}. Do not add any other words to your answer.",
      "Below you find an input text, and a rule that says how the text has to be changed. {C}. Answer with the changed text alone.");

  static final Grammar QUESTION = Grammar.of(NONE,
      "{Q}",
      "{q}",
      "[Here is|Given] {n}. {Q}",
      "{Q} [Answer|Reply] with the [result|answer] only.");

  static final Grammar COMPOSITION = Grammar.of(NONE,
      "First, {a}. Then, {b}.",
      "First {a}, then {b}[.|]",
      "{A}, then {b}[.|]",
      "{A} and then {b}[.|]",
      "{A}. After that, {b}.",
      "{A}. Then {b}.",
      "{A}, and after that {b}.");

  static final Grammar FEW_SHOT_ONLY = Grammar.of(NONE,
      "[Look at|Study|See|Check] the examples and [apply|use|do] the same [transformation|rule|thing|change][| to the input| on the input].",
      "[Do|Apply] [the same|what the examples do|the same as in the examples][| to the input| with the input].",
      "[Figure out|Work out|Find|Guess|Infer] the [rule|pattern|transformation] from the examples and [apply|use] it [on|to] the input.",
      "The examples show a [hidden |secret |]rule[;|:] [apply|use] [that|this|the same] rule [on|to] the input.",
      "The examples show a [hidden |secret |]rule. [Apply|Use] [that|this|the same] rule [on|to] the input.",
      "[Follow|Continue] the pattern[| of the examples| shown in the examples].",
      "[Same as|Like|Just like] the examples[.|]",
      "Do it like the examples[.|]");

  /** What {n} says about the input, per input kind. */
  static final Map<Family.InputKind, Grammar> NOUN = Map.of(
      Family.InputKind.LETTERS, Grammar.of(NONE, "[a word|a string|an input|some text|a string of letters]"),
      Family.InputKind.WORDS, Grammar.of(NONE, "[a sentence|some text|a list of words|a phrase]"),
      Family.InputKind.DIGITS, Grammar.of(NONE, "[a number|a string of digits|some digits]"));
}
