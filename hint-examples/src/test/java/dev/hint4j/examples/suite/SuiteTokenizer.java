package dev.hint4j.examples.suite;

import dev.hint4j.internal.tokenize.CharWordTokenizerJson;
import dev.hint4j.internal.tokenize.HintTokenizer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** The tokenizer TrainCli builds for the suite, for tests. */
final class SuiteTokenizer {
  private SuiteTokenizer() {}

  static final CharWordTokenizerJson JSON = CharWordTokenizerJson.withPieces(InstructionSuite.tokenizerPieces());

  static HintTokenizer load() {
    return HintTokenizer.load(new ByteArrayInputStream(JSON.toJson().getBytes(StandardCharsets.UTF_8)), 4096);
  }
}
