package dev.hint4j.onnx.train;

import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.internal.tokenize.TokenizerJsonWriter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/** The word-and-character vocabulary the training tests share, and a tokenizer of it (the caller closes it). */
final class TestVocab {
  static final TokenizerJsonWriter VOCAB = TokenizerJsonWriter.withWords(TokenizerJsonWriter.defaultWords());

  private TestVocab() {}

  static HintTokenizer tokenizer() {
    return HintTokenizer.load(new ByteArrayInputStream(VOCAB.toJson().getBytes(StandardCharsets.UTF_8)), 512);
  }
}
