package dev.hint4j.examples.train;

import dev.hint4j.HintConfig;
import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.onnx.train.TrainingBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hypernetwork pretraining batches (the paper's stage 1) from plain text: a passage of running
 * text is cut in three, the first part goes to the hypernetwork as the "instruction", the middle
 * to the encoder as the input, and the decoder learns to continue with the rest. The hypernetwork
 * thus learns to turn text into a module that helps predict what follows, before it ever sees an
 * instruction. A pure function of (seed, step), like {@link SuiteBatches}; one passage per row.
 */
public final class PretrainBatches {
  static final int MIN_WORDS = 24;
  static final int MAX_WORDS = 72;

  private final HintTokenizer tokenizer;
  private final HintConfig config;
  private final List<String[]> documents;
  private final long totalWords;
  private final int batchSize;
  private final long seed;

  /** One passage cut in three: words [0, a) → hypernetwork, [a, b) → encoder, [b, end) → target. */
  record Passage(String instruction, String input, String target) {}

  public PretrainBatches(HintTokenizer tokenizer, HintConfig config, List<String> texts, int batchSize, long seed) {
    this.tokenizer = tokenizer;
    this.config = config;
    this.batchSize = batchSize;
    this.seed = seed;
    List<String[]> docs = new ArrayList<>();
    long words = 0;
    for (String t : texts) {
      String[] w = t.trim().split("\\s+");
      if (w.length >= MIN_WORDS) {
        docs.add(w);
        words += w.length;
      }
    }
    if (docs.isEmpty()) {
      throw new IllegalArgumentException("the pretraining corpus needs at least one text of " + MIN_WORDS + " words or more");
    }
    this.documents = docs;
    this.totalWords = words;
  }

  /** The texts of {@code files} (UTF-8), split into documents at blank lines. */
  public static List<String> readCorpus(List<Path> files) {
    List<String> texts = new ArrayList<>();
    for (Path f : files) {
      try {
        StringBuilder doc = new StringBuilder();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            if (doc.length() > 0) {
              texts.add(doc.toString());
              doc.setLength(0);
            }
          } else {
            doc.append(line.strip()).append(' ');
          }
        }
        if (doc.length() > 0) {
          texts.add(doc.toString());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the corpus file " + f, e);
      }
    }
    return texts;
  }

  public long words() {
    return totalWords;
  }

  /** The batch of step {@code step} (1-based). */
  public TrainingBatch batch(int step) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
    List<long[]> instructions = new ArrayList<>();
    List<long[]> inputs = new ArrayList<>();
    List<long[]> targets = new ArrayList<>();
    for (int i = 0; i < batchSize; i++) {
      Passage p = passage(r);
      instructions.add(clip(tokenizer.encodeTruncating(p.instruction()), config.maxInstructionLength()));
      inputs.add(clip(tokenizer.encodeTruncating(p.input()), config.maxInputLength()));
      targets.add(clip(tokenizer.encodeTruncating(p.target()), config.maxTargetLength()));
    }
    return new TrainingBatch(instructions, inputs, targets);
  }

  /** A passage drawn with probability proportional to document length, cut about 50 / 30 / 20 %. */
  Passage passage(SplittableRandom r) {
    long pick = r.nextLong(totalWords);
    String[] doc = documents.get(0);
    for (String[] d : documents) {
      if (pick < d.length) {
        doc = d;
        break;
      }
      pick -= d.length;
    }
    int n = Math.min(doc.length, MIN_WORDS + r.nextInt(MAX_WORDS - MIN_WORDS + 1));
    int start = r.nextInt(doc.length - n + 1);
    int a = (int) Math.round(n * (0.4 + 0.2 * r.nextDouble()));
    int b = a + Math.max(1, (int) Math.round(n * (0.25 + 0.1 * r.nextDouble())));
    b = Math.min(b, n - 1);
    return new Passage(join(doc, start, start + a), join(doc, start + a, start + b), join(doc, start + b, start + n));
  }

  private static String join(String[] words, int from, int to) {
    return String.join(" ", java.util.Arrays.copyOfRange(words, from, to));
  }

  /** Keeps the first {@code max} ids, ending with the tokenizer's last id (EOS) as a full encoding does. */
  private static long[] clip(long[] ids, int max) {
    if (ids.length <= max) {
      return ids;
    }
    long[] out = java.util.Arrays.copyOf(ids, max);
    out[max - 1] = ids[ids.length - 1];
    return out;
  }
}
