package dev.hint4j;

/**
 * Receives generated text as it is produced (streaming). Called on the generating thread, inside
 * the {@code generate} call: closing that task or its model from here throws
 * {@link IllegalStateException} (it would wait for this very call); close them after it returns.
 */
@FunctionalInterface
public interface TokenListener {
  /** @param row the batch row; @param tokenId the new token; @param text its decoded text */
  void onToken(int row, long tokenId, String text);
}
