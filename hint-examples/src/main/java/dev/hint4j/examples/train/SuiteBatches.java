package dev.hint4j.examples.train;

import dev.hint4j.PromptFormat;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.examples.suite.SuiteExample;
import dev.hint4j.onnx.train.TrainingBatch;
import dev.hint4j.tokenize.HintTokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Training batches from the instruction suite as a pure function of (seed, step): a run resumed
 * at step s sees exactly the batches an uninterrupted run would. Examples are drawn in chunks of
 * {@link #CHUNK} batches, sorted by length within the chunk (less padding), and the chunk's
 * batches are visited in a seeded random order.
 */
public final class SuiteBatches {
  static final int CHUNK = 8;

  private final InstructionSuite suite;
  private final HintTokenizer tokenizer;
  private final boolean hint;
  private final int batchSize;
  private final long seed;

  /** @param hint true: the instruction goes to the hypernetwork; false: concatenated into the input */
  public SuiteBatches(InstructionSuite suite, HintTokenizer tokenizer, boolean hint, int batchSize, long seed) {
    this.suite = suite;
    this.tokenizer = tokenizer;
    this.hint = hint;
    this.batchSize = batchSize;
    this.seed = seed;
  }

  /** The batch of training step {@code step} (1-based). */
  public TrainingBatch batch(int step) {
    int chunk = (step - 1) / CHUNK;
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + chunk);
    List<SuiteExample> examples = new ArrayList<>();
    for (int i = 0; i < CHUNK * batchSize; i++) {
      examples.add(suite.sample(Split.TRAIN, 0, r));
    }
    List<TrainingBatch> batches = toBatches(examples);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < CHUNK; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new java.util.Random(r.nextLong()));
    return batches.get(order.get((step - 1) % CHUNK));
  }

  /** Fixed evaluation batches of one split (seeded separately from training). */
  public List<TrainingBatch> evalBatches(Split split, int count, int shots) {
    SplittableRandom r = new SplittableRandom(seed + 7919L * (split.ordinal() + 1));
    List<SuiteExample> examples = new ArrayList<>();
    for (int i = 0; i < count * batchSize; i++) {
      examples.add(suite.sample(split, shots, r));
    }
    return toBatches(examples);
  }

  private List<TrainingBatch> toBatches(List<SuiteExample> examples) {
    record Encoded(long[] instruction, long[] input, long[] target) {
      int length() {
        return (instruction == null ? 0 : instruction.length) + input.length + target.length;
      }
    }
    List<Encoded> enc = new ArrayList<>();
    for (SuiteExample e : examples) {
      long[] target = tokenizer.encodeTruncating(e.output());
      if (hint) {
        enc.add(new Encoded(tokenizer.encodeTruncating(PromptFormat.taskText(e.instruction(), e.examples())),
            tokenizer.encodeTruncating(e.input()), target));
      } else {
        enc.add(new Encoded(null, tokenizer.encodeTruncating(PromptFormat.concatenated(e.instruction(), e.examples(), e.input())),
            target));
      }
    }
    enc.sort(Comparator.comparingInt(Encoded::length));
    List<TrainingBatch> out = new ArrayList<>();
    for (int i = 0; i < enc.size(); i += batchSize) {
      List<Encoded> part = enc.subList(i, Math.min(enc.size(), i + batchSize));
      out.add(new TrainingBatch(hint ? part.stream().map(Encoded::instruction).toList() : null,
          part.stream().map(Encoded::input).toList(), part.stream().map(Encoded::target).toList()));
    }
    return out;
  }
}
