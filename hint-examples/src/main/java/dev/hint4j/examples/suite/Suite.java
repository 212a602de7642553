package dev.hint4j.examples.suite;

import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.examples.suite.legacy.LegacySuite;
import java.util.SplittableRandom;

/** Where evaluation and the demo draw their tasks: the current suite, or the legacy one for the models trained on it. */
public interface Suite {
  /** One example of {@code split}; FEW_SHOT_ONLY gets {@code shots} examples. */
  SuiteExample sample(Split split, int shots, SplittableRandom r);

  /** A task of one family from {@code split} with {@code shots} examples. */
  SuiteTask task(Split split, String familyId, int shots, SplittableRandom r);

  /**
   * The suite a model was trained on, told by its tokenizer: models of the current suite read a
   * letter with one id wherever it stands ({@link dev.hint4j.internal.tokenize.CharWordTokenizerJson});
   * the shipped demo models have a Metaspace tokenizer (word-initial {@code ▁a} vs {@code a}) and
   * the legacy suite, whose inputs avoid that tokenizer's whole-word pieces. A model trained on the
   * current suite from an imported T5 checkpoint (Metaspace too) is told apart by nothing here:
   * evaluate it with {@link InstructionSuite#forTokenizer}.
   */
  static Suite forTokenizer(dev.hint4j.Tokenizer tokenizer) {
    long[] ids = tokenizer.encode("ab ba");
    boolean oneIdPerLetter = ids.length >= 5 && ids[0] == ids[ids.length - 2];
    return oneIdPerLetter ? InstructionSuite.forTokenizer(tokenizer) : new LegacySuite(LegacySuite.instructionWords());
  }
}
