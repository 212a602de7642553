package dev.hint4j.examples.suite.legacy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Parameter values a family is trained on, and values kept for the held-out-parameters split. */
record ParamSpace(List<Param> train, List<Param> heldOut) {
  static final ParamSpace NONE = new ParamSpace(List.of(), List.of());

  /** Training letters a–p, held-out letters q–z (inputs use all 26). */
  static ParamSpace letter() {
    List<Param> train = new ArrayList<>();
    List<Param> held = new ArrayList<>();
    for (char c = 'a'; c <= 'z'; c++) {
      (c <= 'p' ? train : held).add(Param.letter(c));
    }
    return new ParamSpace(train, held);
  }

  /** Pairs of distinct letters; held out when either letter is held out (q–z). */
  static ParamSpace letterPair() {
    List<Param> train = new ArrayList<>();
    List<Param> held = new ArrayList<>();
    for (char c = 'a'; c <= 'z'; c++) {
      for (char d = 'a'; d <= 'z'; d++) {
        if (c != d) {
          (c <= 'p' && d <= 'p' ? train : held).add(Param.letters(c, d));
        }
      }
    }
    return new ParamSpace(train, held);
  }

  static ParamSpace numbers(List<Integer> train, List<Integer> heldOut) {
    return new ParamSpace(train.stream().map(Param::number).toList(), heldOut.stream().map(Param::number).toList());
  }

  static ParamSpace separators() {
    return new ParamSpace(
        List.of(Param.separator("a dash", "-"), Param.separator("an underscore", "_"), Param.separator("a plus sign", "+")),
        List.of(Param.separator("a dot", "."), Param.separator("a star", "*")));
  }

  boolean isEmpty() {
    return train.isEmpty();
  }

  Param pick(boolean heldOutValues, SplittableRandom r) {
    List<Param> from = heldOutValues ? heldOut : train;
    return from.isEmpty() ? null : from.get(r.nextInt(from.size()));
  }
}
