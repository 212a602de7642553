package dev.hint4j.examples.train;

import dev.hint4j.onnx.runtime.MiniLmInstructionStates;
import dev.hint4j.Device;
import dev.hint4j.HintConfig;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.internal.io.SafeTensors;
import dev.hint4j.onnx.export.HfT5Checkpoint;
import dev.hint4j.onnx.arch.WeightQuantization;
import dev.hint4j.onnx.export.ModelExporter;
import dev.hint4j.onnx.train.OrtTrainingArtifacts;
import dev.hint4j.onnx.train.Trainer;
import dev.hint4j.onnx.train.TrainingBatch;
import dev.hint4j.onnx.train.TrainingSpec;
import dev.hint4j.spi.RuntimeOptions;
import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.internal.tokenize.CharWordTokenizerJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Trains a HINT model (or the instruction-concatenation baseline) on the instruction suite with
 * the ONNX train-step graphs, on stock ONNX Runtime, no Python. Checkpoints atomically and resumes
 * from {@code OUT/checkpoint.safetensors} when it exists; exports the model to {@code OUT/model}.
 *
 * <p>{@code mvn -q -DskipTests package exec:java -Dexec.mainClass=dev.hint4j.examples.train.TrainCli
 * -Dexec.args="--mode hint --steps 3000 --out target/train-hint"}. Options: --mode hint|concat|pretrain,
 * --size tiny|small|medium (d=32, 128, 256) with optional overrides --d-model N, --heads H, --layers E+D, --ffn F
 * ({@link ModelSize}; e.g. a baseline sized to HINT's per-input FLOPs, see {@code FlopsCli}), --steps, --batch,
 * --per-task K (inputs per task in a batch: the instruction
 * side runs once per task), --lr, --warmup, --seed, --scope all|hypernetwork|frozen-embeddings,
 * --eval-every, --checkpoint-every, --threads N, --device cpu|cuda[:i], --out, --weights fp32|int8|int4 (the
 * exported model's encoder and decoder matmul weights; training itself is float32).
 *
 * <p>{@code --mode concat} trains the instruction-concatenation baseline with its prompt segment bias
 * (the config's {@link HintConfig#hasPromptSegmentBias()}: a learned weight of its prompt tokens in the
 * decoder's cross-attention, initialised like HINT's fusion bias).
 *
 * <p>{@code --mode pretrain --corpus FILE[,FILE...]} trains the whole model on the paper's
 * hypernetwork-pretraining objective ({@link PretrainBatches}: a passage's first part to the
 * hypernetwork, the middle to the encoder, the rest is the target) instead of the suite. A later
 * suite run starts from its weights with {@code --init-checkpoint OUT/checkpoint.safetensors}
 * (parameters only: fresh optimizer state and step count).
 *
 * <p>Every evaluation appends step, train loss, held-out loss, held-out exact match, tokens/s,
 * examples/s, learning rate and padding efficiency to {@code OUT/train-log.csv} and redraws
 * {@code OUT/train-log.png}; a resumed run continues the same log.
 *
 * <p>{@code --export-model DIR} trains nothing: it exports the run's current state (its checkpoint,
 * e.g. mid-run) as a model directory whose description names the step and the schedule.
 *
 * <p>{@code --export-ort DIR} trains nothing: it writes ONNX Runtime's on-device training artifacts
 * ({@link OrtTrainingArtifacts}) for the current state (the checkpoint in OUT when there is one,
 * else the seeded initialization) to DIR, with weight decay 0 because ONNX Runtime's AdamW would
 * decay norms and embeddings too. {@code --export-hf DIR} likewise writes the encoder-decoder of
 * the current state as a Hugging Face T5 checkpoint ({@link HfT5Checkpoint}, F32). {@code --init-hf DIR}
 * starts from a Hugging Face T5 checkpoint instead of random weights (its tokenizer, a seeded
 * hypernetwork, adapters 64 and prefixes 30; --size is then ignored).
 *
 * <p>{@code --instruction-states minilm} (default {@code none}; HINT only) adds
 * a frozen all-MiniLM-L6-v2's per-token states of each instruction to the instruction memory
 * through a trained projection ({@link MiniLmInstructionStates}; issue 13's pilot). The config
 * records it, so its checkpoints and models say what they are, and {@code --init-checkpoint} of such
 * a checkpoint continues with it (the option is then implied); the exported model records the
 * encoder graph's SHA-256 and runs it from the same Maven artifact at compile time (not copied into
 * the model directory). {@code --export-hf} and {@code --export-ort} refuse such runs.
 */
public final class TrainCli {
  private TrainCli() {}

  /** The MiniLM states cache's size: 64M floats, 256 MB. */
  static final long PRETRAINED_CACHE_FLOATS = 64L << 20;

  public static void main(String[] args) {
    Map<String, String> a = parse(args);
    String mode = a.getOrDefault("mode", "hint");
    if (!List.of("hint", "concat", "pretrain").contains(mode)) {
      throw new IllegalArgumentException("--mode must be hint, concat or pretrain, got '" + mode + "'");
    }
    boolean hint = !mode.equals("concat");
    boolean pretrain = mode.equals("pretrain");
    if (pretrain && !a.containsKey("corpus")) {
      throw new IllegalArgumentException("--mode pretrain needs --corpus FILE[,FILE...] (plain UTF-8 text, documents separated by blank lines)");
    }
    int steps = Integer.parseInt(a.getOrDefault("steps", "40000"));
    int batch = Integer.parseInt(a.getOrDefault("batch", "32"));
    // Default: 8 inputs per task, or the largest divisor of a smaller batch.
    int perTask = a.containsKey("per-task") ? Integer.parseInt(a.get("per-task"))
        : java.util.stream.IntStream.rangeClosed(1, 8).filter(k -> batch % k == 0).max().orElse(1);
    RuntimeOptions runtime = new RuntimeOptions(device(a.getOrDefault("device", "cpu")), false,
        Integer.parseInt(a.getOrDefault("threads", "0")));
    double lr = Double.parseDouble(a.getOrDefault("lr", "5e-4"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "300"));
    long seed = Long.parseLong(a.getOrDefault("seed", "1"));
    WeightQuantization exportWeights = WeightQuantization.parse(a.getOrDefault("weights", "fp32")); // checked before training
    int evalEvery = Integer.parseInt(a.getOrDefault("eval-every", "250"));
    int checkpointEvery = Integer.parseInt(a.getOrDefault("checkpoint-every", "250"));
    TrainingSpec.Scope scope = switch (a.getOrDefault("scope", "all")) {
      case "hypernetwork" -> TrainingSpec.Scope.HYPERNETWORK_ONLY;
      case "frozen-embeddings" -> TrainingSpec.Scope.FROZEN_EMBEDDINGS;
      default -> TrainingSpec.Scope.ALL;
    };
    Path out = Path.of(a.getOrDefault("out", "target/train-" + (hint ? "hint" : "concat")));
    Path checkpoint = out.resolve("checkpoint.safetensors");

    // The model to start from: seeded random weights over a tokenizer of characters plus the words
    // of the suite's training instructions, or a Hugging Face T5 checkpoint (--init-hf DIR: its
    // weights, its tokenizer, a seeded hypernetwork).
    Path initHf = a.containsKey("init-hf") ? Path.of(a.get("init-hf")) : null;
    boolean minilmRequested = switch (a.getOrDefault("instruction-states", "none")) {
      case "none" -> false;
      case "minilm" -> true;
      default -> throw new IllegalArgumentException("--instruction-states must be none or minilm, got '" + a.get("instruction-states") + "'");
    };
    if (minilmRequested && (!mode.equals("hint") || initHf != null)) {
      throw new IllegalArgumentException("--instruction-states minilm trains HINT on the suite:"
          + " it does not combine with --mode " + mode + (initHf != null ? ", --init-hf" : ""));
    }
    if (!hint && a.containsKey("export-hf")) {
      throw new IllegalArgumentException("--export-hf writes plain T5, which has no place for the baseline's prompt segment"
          + " bias: export the model with --export-model instead");
    }
    if (ModelSize.overridden(a) && (initHf != null || a.containsKey("init-checkpoint"))) {
      throw new IllegalArgumentException("--d-model, --heads, --layers and --ffn size a model from random weights:"
          + " with --init-hf or --init-checkpoint the checkpoint fixes the sizes");
    }
    CharWordTokenizerJson suiteTokenizer = CharWordTokenizerJson.withPieces(InstructionSuite.tokenizerPieces());
    String tokenizerJson = initHf == null ? suiteTokenizer.toJson() : readString(initHf.resolve("tokenizer.json"));
    HintConfig sized = ModelSize.parse(a, suiteTokenizer.vocabSize()); // validated even when a checkpoint fixes the sizes
    HintWeights base = a.containsKey("init-checkpoint")
        ? fromCheckpoint(Path.of(a.get("init-checkpoint")), seed, suiteTokenizer.vocabSize())
        : initHf == null
        ? HintWeights.random(minilmRequested ? sized.toBuilder().pretrainedInstructionEncoder(MiniLmInstructionStates.encoder()).build() : sized, seed)
        : HfT5Checkpoint.read(initHf, HfT5Checkpoint.Sizes.defaults(), seed, null);
    // A checkpoint trained with pretrained instruction states continues with them: the option is in its config.
    boolean minilm = base.config().pretrainedInstructionEncoder() != null;
    if (minilm && !MiniLmInstructionStates.encoder().equals(base.config().pretrainedInstructionEncoder())) {
      throw new IllegalArgumentException(a.get("init-checkpoint") + " reads instructions through "
          + base.config().pretrainedInstructionEncoder() + ", which TrainCli cannot run (it runs " + MiniLmInstructionStates.encoder() + ")");
    }
    if (minilmRequested && !minilm) {
      throw new IllegalArgumentException(a.get("init-checkpoint") + " was trained without pretrained instruction states;"
          + " --instruction-states minilm starts from random weights or from a checkpoint trained with them");
    }
    if (minilm && !mode.equals("hint")) {
      throw new IllegalArgumentException(a.get("init-checkpoint") + " has pretrained instruction states, which only HINT"
          + " reads: use --mode hint");
    }
    if (minilm && (a.containsKey("export-hf") || a.containsKey("export-ort"))) {
      throw new IllegalArgumentException("--export-hf and --export-ort do not carry the pretrained instruction states' projection:"
          + " export the model with --export-model instead");
    }
    if (!hint) { // the baseline weights its prompt tokens as HINT weights its fused instruction
      base = seededWith(base.config().toBuilder().promptSegmentBias(true).build(), seed, base.asMap());
    }
    HintConfig config = base.config();
    TrainingSpec spec = TrainingSpec.defaults(config, hint, scope);
    LearningRate schedule = new LearningRate(lr, warmup, steps, 0.1);
    if (a.containsKey("export-ort") || a.containsKey("export-hf") || a.containsKey("export-model")) {
      HintWeights start = base;
      int at = 0;
      if (Files.exists(checkpoint)) {
        try (Trainer resumed = Trainer.resume(spec, checkpoint)) {
          start = resumed.weights(base);
          at = resumed.steps();
        }
      }
      if (a.containsKey("export-model")) { // a model directory of the run's state, e.g. mid-run
        Path dir = Path.of(a.get("export-model"));
        ModelExporter.export(start, tokenizerJson, dir, new ModelExporter.Options("hint4j-demo-" + (hint ? "hint" : "concat"),
            (hint ? "HINT" : "Instruction-concatenation baseline") + " trained by hint4j on its instruction suite: " + ModelSize.describe(config)
                + ", step " + at + " of a " + steps + "-step schedule, batch " + batch + " (" + perTask + " inputs per task), peak lr "
                + lr + ", seed " + seed + startedFrom(a),
            false, true, exportWeights));
        System.out.printf("model of %s at step %d in %s%n", checkpoint, at, dir);
        return;
      }
      if (a.containsKey("export-hf")) {
        Path dir = Path.of(a.get("export-hf"));
        HfT5Checkpoint.export(start, tokenizerJson, dir, SafeTensors.Dtype.F32);
        System.out.printf("Hugging Face T5 checkpoint of %s (%s) in %s%n",
            Files.exists(checkpoint) ? checkpoint : "the seed-" + seed + " initialization", ModelSize.describe(config), dir);
        return;
      }
      Path dir = Path.of(a.get("export-ort"));
      OrtTrainingArtifacts.export(spec.withWeightDecay(0), start, (float) lr, dir);
      System.out.printf("ONNX Runtime training artifacts of %s (%s, %d trainable tensors, weight decay 0) in %s%n",
          Files.exists(checkpoint) ? checkpoint : "the seed-" + seed + " initialization", ModelSize.describe(config),
          spec.trainable().size(), dir);
      return;
    }
    try (HintTokenizer tokenizer = HintTokenizer.load(new ByteArrayInputStream(tokenizerJson.getBytes(StandardCharsets.UTF_8)),
            config.maxInstructionLength() + config.maxInputLength() + config.maxTargetLength());
        Trainer trainer = Files.exists(checkpoint) ? Trainer.resume(spec, checkpoint, runtime) : new Trainer(spec, base, runtime);
        MiniLmInstructionStates pretrained = minilm ? new MiniLmInstructionStates(runtime, PRETRAINED_CACHE_FLOATS) : null) {
      // Inputs the tokenizer reads letter by letter: for the suite's own tokenizer that is a word-list
      // check; an imported tokenizer is asked.
      InstructionSuite suite = initHf == null ? InstructionSuite.standard() : InstructionSuite.forTokenizer(tokenizer);
      IntFunction<TrainingBatch> data;
      List<TrainingBatch> eval;
      if (pretrain) {
        List<Path> files = java.util.Arrays.stream(a.get("corpus").split(",")).map(Path::of).toList();
        List<String> texts = PretrainBatches.readCorpus(files);
        PretrainBatches passages = new PretrainBatches(tokenizer, config, texts, batch, seed);
        PretrainBatches heldOut = new PretrainBatches(tokenizer, config, texts, batch, seed + 7919);
        data = passages::batch;
        eval = java.util.stream.IntStream.rangeClosed(1, 4).mapToObj(heldOut::batch).toList();
        System.out.printf("pretraining corpus: %d documents, %,d words%n", texts.size(), passages.words());
      } else {
        SuiteBatches suiteBatches = new SuiteBatches(suite, tokenizer, hint, batch, perTask, seed,
            pretrained == null ? null : pretrained::states);
        data = suiteBatches::batch;
        eval = suiteBatches.evalBatches(Split.HELD_OUT_INPUTS, 4, 0);
      }
      if (pretrained != null) {
        System.out.println(MiniLmInstructionStates.NAME + ": " + pretrained.signature());
      }
      System.out.printf("model: %s; %,d parameters, %,d of them trained%s%n", ModelSize.describe(config), ModelSize.parameters(config),
          ModelSize.parameters(config, spec.trainable()::contains), hint ? "" : " (the baseline has no hypernetwork)");
      TrainingLog log = new TrainingLog(out.resolve("train-log.csv"), trainer.steps());
      System.out.printf("training %s, %s, %d steps of %d (%d tasks x %d inputs), peak lr %.1e, scope %s, %s%s%n",
          hint ? "HINT" : "concatenation baseline", ModelSize.describe(config), steps, batch, batch / perTask, perTask, lr, scope,
          trainer.device(), trainer.steps() > 0 ? ", resumed at step " + trainer.steps() : "");
      ProgressBar bar = new ProgressBar(System.err, trainer.steps(), steps);
      long started = System.nanoTime();
      double priorSeconds = log.elapsedSeconds();
      Window window = new Window();
      for (int step = trainer.steps() + 1; step <= steps; step++) {
        TrainingBatch b = data.apply(step);
        long t0 = System.nanoTime();
        Trainer.StepResult res = trainer.step(b, schedule.at(step));
        window.add(res.loss(), tokens(b), b.size(), b.paddingEfficiency(), (System.nanoTime() - t0) / 1e9);
        bar.update(step, res.loss(), tokens(b));
        if (step % evalEvery == 0 || step == steps) {
          Trainer.Evaluation ev = trainer.evaluateAll(eval);
          TrainingLog.Row row = new TrainingLog.Row(step, window.meanLoss(), ev.loss(), ev.exactMatch(), window.tokensPerSecond(),
              window.examplesPerSecond(), schedule.at(step), window.meanPadding(), priorSeconds + (System.nanoTime() - started) / 1e9);
          log.append(row);
          log.plot(out.resolve("train-log.png"), "hint4j " + (hint ? "HINT" : "concatenation") + " training: " + ModelSize.describe(config));
          System.out.printf("%nstep %d: train loss %.4f, held-out-inputs loss %.4f, exact match %.1f %% (%d rows), grad norm %.3f,"
              + " %.0f tokens/s, %.1f examples/s, padding efficiency %.2f%n", step, row.trainLoss(), ev.loss(), 100 * ev.exactMatch(),
              ev.rows(), res.gradNorm(), row.tokensPerSecond(), row.examplesPerSecond(), row.paddingEfficiency());
          if (pretrained != null) {
            System.out.printf("%s: %d texts encoded, %d cache hits (%.1f %%), %.1f s encoding%n", MiniLmInstructionStates.NAME,
                pretrained.misses(), pretrained.hits(), 100.0 * pretrained.hits() / Math.max(1, pretrained.hits() + pretrained.misses()),
                pretrained.encodeSeconds());
          }
          window = new Window();
        }
        if (step % checkpointEvery == 0 || step == steps) {
          trainer.checkpoint(checkpoint);
        }
      }
      double minutes = (System.nanoTime() - started) / 6e10;
      ModelExporter.export(trainer.weights(base), tokenizerJson, out.resolve("model"), new ModelExporter.Options(
          "hint4j-demo-" + (hint ? "hint" : "concat"),
          (hint ? "HINT" : "Instruction-concatenation baseline") + " trained by hint4j on its instruction suite: " + ModelSize.describe(config)
              + ", " + steps + " steps of " + batch + ", seed " + seed + startedFrom(a),
          false, true, exportWeights));
      System.out.printf("%ndone in %.1f min, %,.0f tokens/s; model in %s%n", minutes, bar.tokensPerSecond(), out.resolve("model"));
    }
  }

  /** Step statistics since the last evaluation: train loss, throughput (step time only) and padding. */
  private static final class Window {
    private double loss;
    private double tokens;
    private double examples;
    private double padding;
    private double seconds;
    private int steps;

    void add(double stepLoss, long stepTokens, int rows, double paddingEfficiency, double stepSeconds) {
      loss += stepLoss;
      tokens += stepTokens;
      examples += rows;
      padding += paddingEfficiency;
      seconds += stepSeconds;
      steps++;
    }

    double meanLoss() {
      return steps == 0 ? Double.NaN : loss / steps;
    }

    double meanPadding() {
      return steps == 0 ? Double.NaN : padding / steps;
    }

    double tokensPerSecond() {
      return seconds == 0 ? 0 : tokens / seconds;
    }

    double examplesPerSecond() {
      return seconds == 0 ? 0 : examples / seconds;
    }
  }

  /** What a model description says of where its run started, when not from seeded random weights. */
  private static String startedFrom(Map<String, String> a) {
    return a.containsKey("init-checkpoint") ? ", started from an earlier run's checkpoint"
        : a.containsKey("init-hf") ? ", started from a Hugging Face T5 checkpoint" : "";
  }

  /**
   * The parameters of a checkpoint (its optimizer moments and step left behind), over the seeded
   * initialization of its config, so names the checkpoint lacks (e.g. a baseline's hypernetwork) keep their seeded values.
   */
  private static HintWeights fromCheckpoint(Path checkpoint, long seed, int vocabSize) {
    SafeTensors.Contents c = SafeTensors.read(checkpoint);
    String json = c.metadata().get("config");
    if (json == null) {
      throw new IllegalArgumentException(checkpoint + " is not a hint4j training checkpoint (no config in its metadata)");
    }
    HintConfig config = HintConfig.fromJson(json);
    if (config.vocabSize() != vocabSize) {
      throw new IllegalArgumentException(checkpoint + " has a vocabulary of " + config.vocabSize() + " tokens, the suite's tokenizer "
          + vocabSize + ": start from a checkpoint trained with this tokenizer");
    }
    return seededWith(config, seed, c.tensors());
  }

  /** The seeded initialization of {@code config} with every parameter {@code tensors} has (by name) put in its place. */
  private static HintWeights seededWith(HintConfig config, long seed, Map<String, dev.hint4j.tensor.FloatTensor> tensors) {
    HintWeights seeded = HintWeights.random(config, seed);
    Map<String, dev.hint4j.tensor.FloatTensor> p = new java.util.LinkedHashMap<>(seeded.asMap());
    for (String name : seeded.asMap().keySet()) {
      if (tensors.containsKey(name)) {
        p.put(name, tensors.get(name));
      }
    }
    return new HintWeights(config, p);
  }

  private static Device device(String spec) {
    if (spec.equals("cpu")) {
      return Device.cpu();
    }
    if (spec.startsWith("cuda")) {
      return Device.cuda(spec.contains(":") ? Integer.parseInt(spec.substring(spec.indexOf(':') + 1)) : 0);
    }
    throw new IllegalArgumentException("--device must be cpu, cuda or cuda:N, got '" + spec + "'");
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Tokens a step reads: each task's instruction once, every input and every target. */
  private static long tokens(TrainingBatch b) {
    long n = b.inputIds().stream().mapToLong(x -> x.length).sum() + b.targetTokens();
    return b.instructionIds() == null ? n : n + b.instructionIds().stream().mapToLong(x -> x.length).sum();
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
      }
      m.put(args[i].substring(2), args[++i]);
    }
    return m;
  }
}
