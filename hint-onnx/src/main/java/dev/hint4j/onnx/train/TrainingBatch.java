package dev.hint4j.onnx.train;

import java.util.List;

/**
 * Tokenized examples for one step, padded into rectangles. Targets end with EOS; the decoder reads
 * them shifted right behind the start token (teacher forcing).
 *
 * @param instructionIds per row the instruction's ids (HINT), or null (baseline)
 * @param inputIds per row the encoder input's ids
 * @param targetIds per row the answer's ids
 */
public record TrainingBatch(List<long[]> instructionIds, List<long[]> inputIds, List<long[]> targetIds) {
  public TrainingBatch {
    if (inputIds.isEmpty() || inputIds.size() != targetIds.size()
        || (instructionIds != null && instructionIds.size() != inputIds.size())) {
      throw new IllegalArgumentException("a batch needs the same number (> 0) of instructions, inputs and targets");
    }
  }

  public int size() {
    return inputIds.size();
  }

  /** Target tokens (EOS included) the loss covers. */
  public int targetTokens() {
    return targetIds.stream().mapToInt(t -> t.length).sum();
  }

  /** Rows padded with {@code pad} to the longest, flattened row-major, with the float mask. */
  record Padded(long[] ids, float[] mask, long[] shape) {}

  static Padded pad(List<long[]> rows, long pad) {
    int width = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    long[] ids = new long[rows.size() * width];
    float[] mask = new float[ids.length];
    java.util.Arrays.fill(ids, pad);
    for (int r = 0; r < rows.size(); r++) {
      long[] row = rows.get(r);
      System.arraycopy(row, 0, ids, r * width, row.length);
      java.util.Arrays.fill(mask, r * width, r * width + row.length, 1f);
    }
    return new Padded(ids, mask, new long[] {rows.size(), width});
  }

  /** Decoder inputs: the start token, then each target but its last token. */
  static List<long[]> shiftRight(List<long[]> targets, long start) {
    return targets.stream().map(t -> {
      long[] in = new long[t.length];
      in[0] = start;
      System.arraycopy(t, 0, in, 1, t.length - 1);
      return in;
    }).toList();
  }
}
