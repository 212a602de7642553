package dev.hint4j.examples.train;

import dev.hint4j.onnx.runtime.MiniLmInstructionStates;
import dev.hint4j.Device;
import dev.hint4j.HintConfig;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.internal.io.AtomicFiles;
import dev.hint4j.internal.io.SafeTensors;
import dev.hint4j.onnx.train.Trainer;
import dev.hint4j.onnx.train.TrainingBatch;
import dev.hint4j.onnx.train.TrainingSpec;
import dev.hint4j.spi.RuntimeOptions;
import dev.hint4j.internal.tokenize.CharWordTokenizerJson;
import dev.hint4j.internal.tokenize.HintTokenizer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact match of a {@link TrainCli} checkpoint on suite splits, with the training eval graph
 * (teacher-forced: a row counts when every target token is the argmax, which is exactly when greedy
 * decoding answers it), so it also scores models inference cannot run yet, e.g. those trained with
 * {@code --instruction-states minilm}. The same seeded rows for every checkpoint; 0-shot.
 *
 * <p>{@code --checkpoint FILE --label NAME [--per-split 400] [--plain-english 1600] [--threads 1] [--csv FILE]}:
 * prints each split's exact match with its 95 % margin (normal approximation) and appends
 * {@code label,step,split,rows,exact,margin} rows to the CSV.
 */
public final class CheckpointEvalCli {
  /** Rows per eval batch, each row its own task; divides the split sizes used. */
  static final int ROWS_PER_BATCH = 20;
  static final List<Split> SPLITS = List.of(Split.TRAIN, Split.HELD_OUT_INPUTS, Split.HELD_OUT_TEMPLATES, Split.PLAIN_ENGLISH);

  private CheckpointEvalCli() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path checkpoint = Path.of(required(a, "checkpoint"));
    String label = required(a, "label");
    int perSplit = Integer.parseInt(a.getOrDefault("per-split", "400"));
    int plainEnglish = Integer.parseInt(a.getOrDefault("plain-english", "1600"));
    if (perSplit % ROWS_PER_BATCH != 0 || plainEnglish % ROWS_PER_BATCH != 0) {
      throw new IllegalArgumentException("--per-split and --plain-english must be multiples of " + ROWS_PER_BATCH);
    }
    RuntimeOptions runtime = new RuntimeOptions(Device.cpu(), false, Integer.parseInt(a.getOrDefault("threads", "1")));
    SafeTensors.Contents c = SafeTensors.read(checkpoint);
    String json = c.metadata().get("config");
    if (json == null) {
      throw new IllegalArgumentException(checkpoint + " is not a hint4j training checkpoint (no config in its metadata)");
    }
    HintConfig config = HintConfig.fromJson(json);
    int step = Integer.parseInt(c.metadata().get("step"));
    boolean minilm = config.pretrainedInstructionEncoder() != null;
    if (minilm && !config.pretrainedInstructionEncoder().name().equals(MiniLmInstructionStates.NAME)) {
      throw new IllegalArgumentException(checkpoint + " reads states of " + config.pretrainedInstructionEncoder().name()
          + "; this evaluator knows only " + MiniLmInstructionStates.NAME);
    }
    CharWordTokenizerJson suiteTokenizer = CharWordTokenizerJson.withPieces(InstructionSuite.tokenizerPieces());
    StringBuilder csv = new StringBuilder();
    try (HintTokenizer tokenizer = HintTokenizer.load(new ByteArrayInputStream(suiteTokenizer.toJson().getBytes(StandardCharsets.UTF_8)),
            config.maxInstructionLength() + config.maxInputLength() + config.maxTargetLength());
        Trainer trainer = Trainer.resume(TrainingSpec.defaults(config, true, TrainingSpec.Scope.ALL), checkpoint, runtime);
        MiniLmInstructionStates pretrained = minilm ? new MiniLmInstructionStates(runtime, 0) : null) {
      SuiteBatches rows = new SuiteBatches(InstructionSuite.standard(), tokenizer, true, ROWS_PER_BATCH, 1, 1,
          pretrained == null ? null : pretrained::states);
      System.out.printf("%s, step %d (%s)%n", label, step, checkpoint);
      for (Split split : SPLITS) {
        int n = split == Split.PLAIN_ENGLISH ? plainEnglish : perSplit;
        long t0 = System.nanoTime();
        List<TrainingBatch> batches = rows.evalBatches(split, n / ROWS_PER_BATCH, 0);
        Trainer.Evaluation ev = trainer.evaluateAll(batches);
        double margin = margin(ev.exactMatch(), ev.rows());
        System.out.printf("  %-20s %5.1f %% ± %.1f (n=%d, loss %.3f, %.0f s)%n", split, 100 * ev.exactMatch(), 100 * margin, ev.rows(),
            ev.loss(), (System.nanoTime() - t0) / 1e9);
        csv.append(String.format("%s,%d,%s,%d,%.4f,%.4f%n", label, step, split, ev.rows(), ev.exactMatch(), margin));
      }
    }
    if (a.containsKey("csv")) {
      Path file = Path.of(a.get("csv"));
      String before = Files.exists(file) ? Files.readString(file) : "label,step,split,rows,exact,margin95\n";
      AtomicFiles.write(file, (before + csv).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Half-width of the 95 % interval of a proportion p over n rows: 1.96·sqrt(p(1−p)/n). */
  static double margin(double p, int n) {
    return 1.96 * Math.sqrt(p * (1 - p) / n);
  }

  private static String required(Map<String, String> a, String name) {
    String v = a.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }
}
