package dev.hint4j.examples.train;

import dev.hint4j.PromptFormat;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.examples.suite.SuiteExample;
import dev.hint4j.examples.suite.SuiteTask;
import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.onnx.train.TrainingBatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Training batches from the instruction suite as a pure function of (seed, step): a run resumed
 * at step s sees exactly the batches an uninterrupted run would. Not thread-safe (it keeps the
 * current chunk).
 *
 * <p>A batch holds {@code batchSize / inputsPerTask} tasks with {@code inputsPerTask} fresh inputs
 * each, so the trainer encodes each instruction and runs the hypernetwork once per task (HINT's
 * one module, many inputs). Tasks are drawn in chunks of {@link #CHUNK} batches and sorted by
 * instruction length within the chunk, so the instructions of a batch are padded little; the
 * chunk's batches are visited in a seeded random order.
 */
public final class SuiteBatches {
  static final int CHUNK = 32;

  private final InstructionSuite suite;
  private final HintTokenizer tokenizer;
  private final boolean hint;
  private final int batchSize;
  private final int inputsPerTask;
  private final long seed;
  private final Function<List<String>, List<float[]>> pretrainedStates;
  private int cachedChunk = -1;
  private List<TrainingBatch> cachedBatches;

  /**
   * @param hint true: the instruction goes to the hypernetwork; false: concatenated into the input
   * @param inputsPerTask K, the inputs each task gets in a batch; must divide {@code batchSize}
   */
  public SuiteBatches(InstructionSuite suite, HintTokenizer tokenizer, boolean hint, int batchSize, int inputsPerTask, long seed) {
    this(suite, tokenizer, hint, batchSize, inputsPerTask, seed, null);
  }

  /**
   * As above, and every HINT batch also carries a frozen pretrained encoder's states of each task's
   * instruction ({@code pretrainedStates}: texts → per text [tokens, width] row-major), for models
   * with {@link dev.hint4j.HintConfig#pretrainedInstructionEncoder()}; null for none. The encoder
   * reads the instruction sentence only: the examples' letter strings mean nothing to a sentence
   * encoder (the model's own instruction path reads them), would multiply its work, and would make
   * every few-shot text new to its cache.
   */
  public SuiteBatches(InstructionSuite suite, HintTokenizer tokenizer, boolean hint, int batchSize, int inputsPerTask, long seed,
      Function<List<String>, List<float[]>> pretrainedStates) {
    if (pretrainedStates != null && !hint) {
      throw new IllegalArgumentException("pretrained instruction states are for HINT batches (the baseline has no instruction side)");
    }
    if (inputsPerTask < 1 || batchSize % inputsPerTask != 0) {
      throw new IllegalArgumentException("inputs per task (" + inputsPerTask + ") must be >= 1 and divide the batch size ("
          + batchSize + ")");
    }
    this.suite = suite;
    this.tokenizer = tokenizer;
    this.hint = hint;
    this.batchSize = batchSize;
    this.inputsPerTask = inputsPerTask;
    this.seed = seed;
    this.pretrainedStates = pretrainedStates;
  }

  /** The batch of training step {@code step} (1-based). */
  public TrainingBatch batch(int step) {
    int chunk = (step - 1) / CHUNK;
    if (chunk != cachedChunk) {
      cachedBatches = chunkBatches(chunk);
      cachedChunk = chunk;
    }
    return cachedBatches.get((step - 1) % CHUNK);
  }

  /** The chunk's batches in their (seeded, shuffled) visiting order. */
  private List<TrainingBatch> chunkBatches(int chunk) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + chunk);
    List<List<SuiteExample>> tasks = new ArrayList<>();
    for (int i = 0; i < CHUNK * batchSize / inputsPerTask; i++) {
      SuiteTask task = suite.sampleTask(Split.TRAIN, 0, r);
      List<SuiteExample> rows = new ArrayList<>();
      for (int k = 0; k < inputsPerTask; k++) {
        rows.add(task.example(r));
      }
      tasks.add(rows);
    }
    List<TrainingBatch> batches = toBatches(tasks, batchSize / inputsPerTask);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < CHUNK; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new java.util.Random(r.nextLong()));
    return order.stream().map(batches::get).toList();
  }

  /** Fixed evaluation batches of one split, one task per row (seeded separately from training). */
  public List<TrainingBatch> evalBatches(Split split, int count, int shots) {
    SplittableRandom r = new SplittableRandom(seed + 7919L * (split.ordinal() + 1));
    List<List<SuiteExample>> tasks = new ArrayList<>();
    for (int i = 0; i < count * batchSize; i++) {
      tasks.add(List.of(suite.sample(split, shots, r)));
    }
    return toBatches(tasks, batchSize);
  }

  /**
   * One task's tokenized instruction and examples (HINT) and its rows; the baseline puts them into
   * every row's input, and {@code promptTokens} says how many leading tokens of each row's input
   * they are (empty for HINT). {@code sentence} is the instruction alone, for a pretrained encoder.
   */
  private record Encoded(String sentence, long[] instruction, List<long[]> inputs, List<long[]> targets,
      List<Integer> promptTokens) {
    /** The widest input plus the widest target: what the task's rows pad each other to. */
    int rowWidth() {
      return inputs.stream().mapToInt(x -> x.length).max().orElse(0) + targets.stream().mapToInt(x -> x.length).max().orElse(0);
    }
  }

  /**
   * Tasks sorted by row width, then instruction length: rows are most of a grouped step's work
   * (K rows per instruction), so their padding matters most.
   */
  private static final Comparator<Encoded> ORDER = Comparator.comparingInt(Encoded::rowWidth)
      .thenComparingInt(e -> e.instruction().length);

  private List<TrainingBatch> toBatches(List<List<SuiteExample>> tasks, int tasksPerBatch) {
    List<Encoded> enc = new ArrayList<>();
    for (List<SuiteExample> rows : tasks) {
      SuiteExample first = rows.get(0);
      long[] instruction = tokenizer.encodeTruncating(PromptFormat.taskText(first.instruction(), first.examples()));
      List<long[]> inputs = new ArrayList<>();
      List<long[]> targets = new ArrayList<>();
      List<Integer> prompts = new ArrayList<>();
      for (SuiteExample e : rows) {
        if (hint) {
          inputs.add(tokenizer.encodeTruncating(e.input()));
        } else { // the runtime's text and prompt count (ModelRunner.encodeInput)
          long[] ids = tokenizer.encodeTruncating(PromptFormat.concatenated(e.instruction(), e.examples(), e.input()));
          inputs.add(ids);
          prompts.add(tokenizer.concatenationPromptTokens(ids, e.instruction(), e.examples()));
        }
        targets.add(tokenizer.encodeTruncating(e.output()));
      }
      enc.add(new Encoded(first.instruction().strip(), instruction, inputs, targets, prompts));
    }
    enc.sort(ORDER);
    // All of the chunk's texts in one call, so the encoder runs in few, well-filled batches.
    List<float[]> states = pretrainedStates == null ? null : pretrainedStates.apply(enc.stream().map(Encoded::sentence).toList());
    List<TrainingBatch> out = new ArrayList<>();
    for (int i = 0; i < enc.size(); i += tasksPerBatch) {
      List<Encoded> part = enc.subList(i, Math.min(enc.size(), i + tasksPerBatch));
      List<long[]> instructions = new ArrayList<>();
      List<long[]> inputs = new ArrayList<>();
      List<long[]> targets = new ArrayList<>();
      List<Integer> prompts = new ArrayList<>();
      int[] taskOfRow = new int[part.stream().mapToInt(e -> e.inputs().size()).sum()];
      int row = 0;
      for (int t = 0; t < part.size(); t++) {
        instructions.add(part.get(t).instruction());
        inputs.addAll(part.get(t).inputs());
        targets.addAll(part.get(t).targets());
        prompts.addAll(part.get(t).promptTokens());
        for (int k = 0; k < part.get(t).inputs().size(); k++) {
          taskOfRow[row++] = t;
        }
      }
      List<float[]> taskStates = states == null ? null : states.subList(i, Math.min(enc.size(), i + tasksPerBatch));
      out.add(hint ? new TrainingBatch(instructions, taskOfRow, inputs, targets, taskStates)
          : TrainingBatch.concatenated(inputs, targets, prompts.stream().mapToInt(Integer::intValue).toArray()));
    }
    return out;
  }
}
