package dev.hint4j;

/** What to do with text that tokenizes longer than the model's limit. */
public enum LengthPolicy {
  /** Throw {@link InvalidInputException} (the default: nothing is silently dropped). */
  REJECT,
  /** Keep the first tokens (and the final EOS) of text of any length and log a warning. */
  TRUNCATE
}
