package dev.hint4j;

import dev.hint4j.internal.tokenize.HintTokenizer;

/** The view of a model's {@link HintTokenizer} that callers get: every call but close. */
final class ModelTokenizer implements Tokenizer {
  private final HintTokenizer tokenizer;

  ModelTokenizer(HintTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  @Override
  public long[] encode(String text) {
    return tokenizer.encode(text);
  }

  @Override
  public long[] encodeTruncating(String text) {
    return tokenizer.encodeTruncating(text);
  }

  @Override
  public String decode(long[] ids) {
    return tokenizer.decode(ids);
  }

  @Override
  public int vocabSize() {
    return tokenizer.vocabSize();
  }

  @Override
  public int maxLength() {
    return tokenizer.maxLength();
  }
}
