package dev.hint4j;

/**
 * What to do with characters the model's vocabulary cannot represent (for the demo tokenizer:
 * anything but printable ASCII, such as accented letters, emoji, NUL or right-to-left text).
 * Either way they are counted in {@link HintModel#unknownCharacters()}.
 */
public enum UnknownTokenPolicy {
  /**
   * Map them to the unknown token {@code <unk>}, as T5 and HuggingFace tokenizers do (the
   * default). A run of them becomes one {@code <unk>}: 10,000 'é' are one token, so the length
   * limit does not see them. The first time a model meets one it logs a warning.
   */
  REPLACE,
  /** Throw {@link InvalidInputException} naming the text and how many characters are unknown. */
  REJECT
}
