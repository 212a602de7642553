package dev.hint4j.examples.suite;

/** Counts of what the grammars can say, for SuiteDump and the tests. */
final class Phrasings {
  private Phrasings() {}

  static final int CAP = 1_000_000;

  /** Distinct core phrasings of a family: its commands plus its standalone questions. */
  static int coreCount(Family f) {
    return f.imperative().expansions(CAP).size() + f.standalone().expansions(CAP).size();
  }
}
