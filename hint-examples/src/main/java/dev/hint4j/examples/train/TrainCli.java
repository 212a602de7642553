package dev.hint4j.examples.train;

import dev.hint4j.HintConfig;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.examples.suite.Split;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.io.SafeTensors;
import dev.hint4j.onnx.export.HfT5Checkpoint;
import dev.hint4j.onnx.arch.WeightQuantization;
import dev.hint4j.onnx.export.ModelExporter;
import dev.hint4j.onnx.train.OrtTrainingArtifacts;
import dev.hint4j.onnx.train.Trainer;
import dev.hint4j.onnx.train.TrainingBatch;
import dev.hint4j.onnx.train.TrainingSpec;
import dev.hint4j.tokenize.HintTokenizer;
import dev.hint4j.tokenize.TokenizerJsonWriter;
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
 * -Dexec.args="--mode hint --steps 3000 --out target/train-hint"}. Options: --mode hint|concat,
 * --size tiny|small, --steps, --batch, --lr, --warmup, --seed, --scope all|hypernetwork|frozen-embeddings,
 * --eval-every, --checkpoint-every, --out, --weights fp32|int8|int4 (the exported model's encoder and
 * decoder matmul weights; training itself is float32).
 *
 * <p>{@code --export-ort DIR} trains nothing: it writes ONNX Runtime's on-device training artifacts
 * ({@link OrtTrainingArtifacts}) for the current state (the checkpoint in OUT when there is one,
 * else the seeded initialization) to DIR, with weight decay 0 because ONNX Runtime's AdamW would
 * decay norms and embeddings too. {@code --export-hf DIR} likewise writes the encoder-decoder of
 * the current state as a Hugging Face T5 checkpoint ({@link HfT5Checkpoint}, F32). {@code --init-hf DIR}
 * starts from a Hugging Face T5 checkpoint instead of random weights (its tokenizer, a seeded
 * hypernetwork, adapters 64 and prefixes 30; --size is then ignored).
 */
public final class TrainCli {
  private TrainCli() {}

  public static void main(String[] args) {
    Map<String, String> a = parse(args);
    boolean hint = !a.getOrDefault("mode", "hint").equals("concat");
    IntFunction<HintConfig> size = a.getOrDefault("size", "small").equals("tiny") ? HintConfig::tiny : HintConfig::small;
    int steps = Integer.parseInt(a.getOrDefault("steps", "6000"));
    int batch = Integer.parseInt(a.getOrDefault("batch", "32"));
    double lr = Double.parseDouble(a.getOrDefault("lr", "2e-3"));
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

    InstructionSuite suite = new InstructionSuite(InstructionSuite.instructionWords());
    // The model to start from: seeded random weights over the suite's vocabulary, or a Hugging Face
    // T5 checkpoint (--init-hf DIR: its weights, its tokenizer, a seeded hypernetwork).
    Path initHf = a.containsKey("init-hf") ? Path.of(a.get("init-hf")) : null;
    String tokenizerJson = initHf == null ? TokenizerJsonWriter.withWords(InstructionSuite.instructionWords()).toJson()
        : readString(initHf.resolve("tokenizer.json"));
    HintWeights base = initHf == null
        ? HintWeights.random(size.apply(TokenizerJsonWriter.withWords(InstructionSuite.instructionWords()).vocabSize()), seed)
        : HfT5Checkpoint.read(initHf, HfT5Checkpoint.Sizes.defaults(), seed, null);
    HintConfig config = base.config();
    TrainingSpec spec = TrainingSpec.defaults(config, hint, scope);
    LearningRate schedule = new LearningRate(lr, warmup, steps, 0.1);
    if (a.containsKey("export-ort") || a.containsKey("export-hf")) {
      HintWeights start = base;
      if (Files.exists(checkpoint)) {
        try (Trainer resumed = Trainer.resume(spec, checkpoint)) {
          start = resumed.weights(base);
        }
      }
      if (a.containsKey("export-hf")) {
        Path dir = Path.of(a.get("export-hf"));
        HfT5Checkpoint.export(start, tokenizerJson, dir, SafeTensors.Dtype.F32);
        System.out.printf("Hugging Face T5 checkpoint of %s (%s) in %s%n",
            Files.exists(checkpoint) ? checkpoint : "the seed-" + seed + " initialization", describe(config), dir);
        return;
      }
      Path dir = Path.of(a.get("export-ort"));
      OrtTrainingArtifacts.export(spec.withWeightDecay(0), start, (float) lr, dir);
      System.out.printf("ONNX Runtime training artifacts of %s (%s, %d trainable tensors, weight decay 0) in %s%n",
          Files.exists(checkpoint) ? checkpoint : "the seed-" + seed + " initialization", describe(config),
          spec.trainable().size(), dir);
      return;
    }
    try (HintTokenizer tokenizer = HintTokenizer.load(new ByteArrayInputStream(tokenizerJson.getBytes(StandardCharsets.UTF_8)),
            config.maxInstructionLength() + config.maxInputLength() + config.maxTargetLength());
        Trainer trainer = Files.exists(checkpoint) ? Trainer.resume(spec, checkpoint) : new Trainer(spec, base)) {
      SuiteBatches data = new SuiteBatches(suite, tokenizer, hint, batch, seed);
      List<TrainingBatch> eval = data.evalBatches(Split.HELD_OUT_INPUTS, 4, 0);
      System.out.printf("training %s, %s, %d steps of %d, peak lr %.1e, scope %s%s%n", hint ? "HINT" : "concatenation baseline",
          describe(config), steps, batch, lr, scope, trainer.steps() > 0 ? ", resumed at step " + trainer.steps() : "");
      ProgressBar bar = new ProgressBar(System.err, trainer.steps(), steps);
      long started = System.nanoTime();
      for (int step = trainer.steps() + 1; step <= steps; step++) {
        TrainingBatch b = data.batch(step);
        Trainer.StepResult res = trainer.step(b, schedule.at(step));
        bar.update(step, res.loss(), tokens(b));
        if (step % evalEvery == 0 || step == steps) {
          System.out.printf("%nstep %d: train loss %.4f, held-out-inputs loss %.4f, grad norm %.3f%n", step, res.loss(),
              trainer.evaluate(eval), res.gradNorm());
        }
        if (step % checkpointEvery == 0 || step == steps) {
          trainer.checkpoint(checkpoint);
        }
      }
      double minutes = (System.nanoTime() - started) / 6e10;
      ModelExporter.export(trainer.weights(base), tokenizerJson, out.resolve("model"), new ModelExporter.Options(
          "hint4j-demo-" + (hint ? "hint" : "concat"),
          (hint ? "HINT" : "Instruction-concatenation baseline") + " trained by hint4j on its instruction suite: " + describe(config)
              + ", " + steps + " steps of " + batch + ", seed " + seed,
          false, true, exportWeights));
      System.out.printf("%ndone in %.1f min, %,.0f tokens/s; model in %s%n", minutes, bar.tokensPerSecond(), out.resolve("model"));
    }
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
  }

  private static long tokens(TrainingBatch b) {
    long n = b.inputIds().stream().mapToLong(x -> x.length).sum() + b.targetTokens();
    return b.instructionIds() == null ? n : n + b.instructionIds().stream().mapToLong(x -> x.length).sum();
  }

  private static String describe(HintConfig c) {
    return "d=" + c.dModel() + ", " + c.encoderLayers() + "+" + c.decoderLayers() + " layers, vocab " + c.vocabSize();
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
