package dev.hint4j.onnx.train;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Tokenized examples for one step, padded into rectangles. Targets end with EOS; the decoder reads
 * them shifted right behind the start token (teacher forcing).
 *
 * <p>HINT batches are grouped by task, as inference is: {@code instructionIds} holds one entry per
 * <em>task</em>, and {@code taskOfRow[i]} says which task row {@code i} belongs to. The instruction
 * encoder and the hypernetwork run once per task; each row gathers its task's module. A batch
 * whose rows all have their own instruction is the special case {@code taskOfRow = 0, 1, 2, ...}.
 *
 * @param instructionIds per task the instruction's ids (HINT), or null (baseline)
 * @param taskOfRow per row the index of its task in {@code instructionIds}, or null (baseline)
 * @param inputIds per row the encoder input's ids
 * @param targetIds per row the answer's ids
 * @param pretrainedStates per task a frozen pretrained encoder's states of the instruction, row-major
 *     [tokens, width] (models with {@link dev.hint4j.HintConfig#pretrainedInstructionEncoder()}), or null
 * @param promptTokens baseline only: per row how many leading input tokens are the concatenated
 *     prompt (instruction, examples, separator), read by models with
 *     {@link dev.hint4j.HintConfig#hasPromptSegmentBias()}; or null
 */
public record TrainingBatch(List<long[]> instructionIds, int[] taskOfRow, List<long[]> inputIds, List<long[]> targetIds,
    List<float[]> pretrainedStates, int[] promptTokens) {
  public TrainingBatch {
    if (inputIds.isEmpty() || inputIds.size() != targetIds.size()) {
      throw new IllegalArgumentException("a batch needs the same number (> 0) of inputs and targets, got "
          + inputIds.size() + " and " + targetIds.size());
    }
    if ((instructionIds == null) != (taskOfRow == null)) {
      throw new IllegalArgumentException("instructions and the task index of every row go together (both null for the baseline)");
    }
    if (taskOfRow != null) {
      if (taskOfRow.length != inputIds.size()) {
        throw new IllegalArgumentException("taskOfRow has " + taskOfRow.length + " entries for " + inputIds.size() + " rows");
      }
      boolean[] used = new boolean[instructionIds.size()];
      for (int t : taskOfRow) {
        if (t < 0 || t >= used.length) {
          throw new IllegalArgumentException("task index " + t + " outside the " + used.length + " instructions");
        }
        used[t] = true;
      }
      for (int t = 0; t < used.length; t++) {
        if (!used[t]) {
          throw new IllegalArgumentException("instruction " + t + " has no row: every task of a batch needs at least one input");
        }
      }
      taskOfRow = taskOfRow.clone();
    }
    if (pretrainedStates != null) {
      if (instructionIds == null || pretrainedStates.size() != instructionIds.size()) {
        throw new IllegalArgumentException("pretrained states go with instructions, one entry per task: got "
            + pretrainedStates.size() + " for " + (instructionIds == null ? "no" : Integer.toString(instructionIds.size())) + " tasks");
      }
      for (float[] s : pretrainedStates) {
        if (s == null || s.length == 0) {
          throw new IllegalArgumentException("every task needs pretrained states of at least one token");
        }
      }
      pretrainedStates = List.copyOf(pretrainedStates);
    }
    if (promptTokens != null) {
      if (instructionIds != null) {
        throw new IllegalArgumentException("prompt lengths are for baseline batches, whose inputs carry the instruction;"
            + " a HINT batch has none");
      }
      if (promptTokens.length != inputIds.size()) {
        throw new IllegalArgumentException("promptTokens has " + promptTokens.length + " entries for " + inputIds.size() + " rows");
      }
      for (int r = 0; r < promptTokens.length; r++) {
        if (promptTokens[r] < 0 || promptTokens[r] > inputIds.get(r).length) {
          throw new IllegalArgumentException("row " + r + " has " + promptTokens[r] + " prompt tokens, outside 0.."
              + inputIds.get(r).length + " (its input's length)");
        }
      }
      promptTokens = promptTokens.clone();
    }
  }

  /** HINT rows with a frozen pretrained encoder's states of each task's instruction. */
  public TrainingBatch(List<long[]> instructionIds, int[] taskOfRow, List<long[]> inputIds, List<long[]> targetIds,
      List<float[]> pretrainedStates) {
    this(instructionIds, taskOfRow, inputIds, targetIds, pretrainedStates, null);
  }

  /**
   * Baseline rows whose inputs are concatenated prompts; row r's first {@code promptTokens[r]}
   * tokens are its prompt.
   */
  public static TrainingBatch concatenated(List<long[]> inputIds, List<long[]> targetIds, int[] promptTokens) {
    return new TrainingBatch(null, null, inputIds, targetIds, null, promptTokens);
  }

  /** Without pretrained instruction states. */
  public TrainingBatch(List<long[]> instructionIds, int[] taskOfRow, List<long[]> inputIds, List<long[]> targetIds) {
    this(instructionIds, taskOfRow, inputIds, targetIds, null);
  }

  /** One instruction per row (ungrouped), or null instructions for the baseline. */
  public TrainingBatch(List<long[]> instructionIdsPerRow, List<long[]> inputIds, List<long[]> targetIds) {
    this(instructionIdsPerRow, instructionIdsPerRow == null ? null : IntStream.range(0, instructionIdsPerRow.size()).toArray(),
        inputIds, targetIds, null);
  }

  @Override
  public int[] taskOfRow() {
    return taskOfRow == null ? null : taskOfRow.clone();
  }

  @Override
  public int[] promptTokens() {
    return promptTokens == null ? null : promptTokens.clone();
  }

  /** Row-major [rows, longest input] float mask: 1 on each row's prompt tokens (see {@link #promptTokens}). */
  float[] promptMask() {
    int width = width(inputIds);
    float[] mask = new float[inputIds.size() * width];
    for (int r = 0; r < promptTokens.length; r++) {
      Arrays.fill(mask, r * width, r * width + promptTokens[r], 1f);
    }
    return mask;
  }

  public int size() {
    return inputIds.size();
  }

  /** Distinct tasks (instructions) of the batch; the row count for the baseline. */
  public int tasks() {
    return instructionIds == null ? inputIds.size() : instructionIds.size();
  }

  /** Target tokens (EOS included) the loss covers. */
  public int targetTokens() {
    return targetIds.stream().mapToInt(t -> t.length).sum();
  }

  /**
   * Real tokens over padded tokens of everything the step reads (instructions once per task,
   * inputs, decoder inputs and labels counted once): 1.0 means no padding.
   */
  public double paddingEfficiency() {
    long real = tokens(inputIds) + tokens(targetIds);
    long padded = (long) inputIds.size() * width(inputIds) + (long) targetIds.size() * width(targetIds);
    if (instructionIds != null) {
      real += tokens(instructionIds);
      padded += (long) instructionIds.size() * width(instructionIds);
    }
    return (double) real / padded;
  }

  private static long tokens(List<long[]> rows) {
    return rows.stream().mapToLong(r -> r.length).sum();
  }

  private static int width(List<long[]> rows) {
    return rows.stream().mapToInt(r -> r.length).max().orElse(0);
  }

  /** Rows padded with {@code pad} to the longest, flattened row-major, with the float mask. */
  record Padded(long[] ids, float[] mask, long[] shape) {}

  static Padded pad(List<long[]> rows, long pad) {
    int width = width(rows);
    long[] ids = new long[rows.size() * width];
    float[] mask = new float[ids.length];
    Arrays.fill(ids, pad);
    for (int r = 0; r < rows.size(); r++) {
      long[] row = rows.get(r);
      System.arraycopy(row, 0, ids, r * width, row.length);
      Arrays.fill(mask, r * width, r * width + row.length, 1f);
    }
    return new Padded(ids, mask, new long[] {rows.size(), width});
  }

  /** Float states [padded tasks, longest, width] and their mask [tasks, longest]. */
  record PaddedStates(float[] states, float[] mask, long[] statesShape, long[] maskShape) {}

  /** Each task's row-major [tokens, width] states padded with zeros to the longest. */
  static PaddedStates padStates(List<float[]> perTask, int width) {
    int longest = 0;
    for (float[] s : perTask) {
      if (s.length % width != 0) {
        throw new IllegalArgumentException("pretrained states of " + s.length + " floats are not whole tokens of width " + width);
      }
      longest = Math.max(longest, s.length / width);
    }
    float[] states = new float[perTask.size() * longest * width];
    float[] mask = new float[perTask.size() * longest];
    for (int t = 0; t < perTask.size(); t++) {
      float[] s = perTask.get(t);
      System.arraycopy(s, 0, states, t * longest * width, s.length);
      Arrays.fill(mask, t * longest, t * longest + s.length / width, 1f);
    }
    return new PaddedStates(states, mask, new long[] {perTask.size(), longest, width}, new long[] {perTask.size(), longest});
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
