package dev.hint4j.examples.suite;

import dev.hint4j.Example;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One task of the suite: what a user would compile (instruction and few-shot examples) plus the
 * rule that answers any input and a source of fresh inputs, so one compiled task can be asked
 * many questions whose right answers are known.
 *
 * @param split the split the task (and its inputs) belong to
 * @param family the family id, e.g. "reverse"
 * @param rule the task's rule: input → expected output
 * @param inputs draws a fresh input of the task's kind from the split
 */
public record SuiteTask(Split split, String family, String instruction, List<Example> examples, UnaryOperator<String> rule,
    Function<SplittableRandom, String> inputs) {

  public String answer(String input) {
    return rule.apply(input);
  }

  public String drawInput(SplittableRandom r) {
    return inputs.apply(r);
  }

  /** A fresh input with its expected output, as one example of this task. */
  public SuiteExample example(SplittableRandom r) {
    String in = drawInput(r);
    return new SuiteExample(split, family, instruction, examples, in, answer(in));
  }
}
