package dev.hint4j;

/**
 * A model's tokenizer as {@link HintModel#tokenizer()} hands it out: it encodes and decodes, and
 * it cannot be closed, since the model owns it and closes it with itself. After the model is
 * closed every call throws {@link IllegalStateException}. Thread-safe.
 */
public interface Tokenizer {
  /**
   * Token ids of {@code text} followed by EOS.
   *
   * @throws InvalidInputException if text is null or longer than {@link #maxLength()} tokens
   */
  long[] encode(String text);

  /** Like {@link #encode}, but keeps the first tokens (and a final EOS) of a text that is too long, logging a warning. */
  long[] encodeTruncating(String text);

  /** Text of the ids, special tokens left out. */
  String decode(long[] ids);

  /** Distinct token ids the tokenizer can produce. */
  int vocabSize();

  /** Most tokens {@link #encode} accepts (EOS included). */
  int maxLength();
}
