package dev.hint4j.spi;

/**
 * One batch being decoded: the encoded inputs and the growing self-attention cache.
 * Used by one thread at a time; close it to free native memory.
 */
public interface DecodeState extends AutoCloseable {
  int batchSize();

  int vocabSize();

  /**
   * Appends the same number T of tokens to every row and returns the logits of those positions,
   * flattened [batch][T][vocab].
   */
  float[] step(long[][] tokens);

  /** For beam search: from now on row b continues the sequence (and cache) of row {@code sourceRows[b]}. */
  void reorder(int[] sourceRows);

  @Override
  void close();
}
