package dev.hint4j;

/** Receives generated text as it is produced (streaming). Called on the generating thread. */
@FunctionalInterface
public interface TokenListener {
  /** @param row the batch row; @param tokenId the new token; @param text its decoded text */
  void onToken(int row, long tokenId, String text);
}
