package dev.hint4j.examples;

import dev.hint4j.ModelManifest;
import dev.hint4j.onnx.arch.WeightQuantization;
import dev.hint4j.onnx.export.HfT5Checkpoint;
import java.nio.file.Path;

/**
 * Imports a Hugging Face T5 v1.1 / LM-adapted checkpoint directory (config.json, model.safetensors
 * or shards, tokenizer.json) as a hint4j model directory, with a fresh (seeded) hypernetwork or
 * one from a hint4j checkpoint.
 *
 * <p>{@code mvn -q -DskipTests package exec:java -Dexec.mainClass=dev.hint4j.examples.HfImport
 * -Dexec.args="--from path/to/t5-small-lm-adapt --out models/t5-hint"}. Options: --adapter N (64),
 * --prefix N (30), --max-input N (512), --max-instruction N (1024), --max-target N (64), --seed N (1),
 * --hypernetwork FILE.safetensors, --weights fp32|int8|int4 (how the encoder and decoder store their
 * matmul weights; the hypernetwork stays float32).
 */
public final class HfImport {
  private HfImport() {}

  public static void main(String[] args) {
    Path from = null;
    Path out = null;
    Path hyper = null;
    HfT5Checkpoint.Sizes d = HfT5Checkpoint.Sizes.defaults();
    int adapter = d.adapterSize();
    int prefix = d.prefixLength();
    int maxInput = d.maxInputLength();
    int maxInstruction = d.maxInstructionLength();
    int maxTarget = d.maxTargetLength();
    long seed = 1;
    WeightQuantization weights = WeightQuantization.FLOAT32;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--from" -> from = Path.of(v);
        case "--out" -> out = Path.of(v);
        case "--hypernetwork" -> hyper = Path.of(v);
        case "--adapter" -> adapter = Integer.parseInt(v);
        case "--prefix" -> prefix = Integer.parseInt(v);
        case "--max-input" -> maxInput = Integer.parseInt(v);
        case "--max-instruction" -> maxInstruction = Integer.parseInt(v);
        case "--max-target" -> maxTarget = Integer.parseInt(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--weights" -> weights = WeightQuantization.parse(v);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (from == null || out == null) {
      throw new IllegalArgumentException("use --from HF_CHECKPOINT_DIR --out MODEL_DIR");
    }
    ModelManifest m = HfT5Checkpoint.importModel(from, out,
        new HfT5Checkpoint.Sizes(adapter, prefix, maxInput, maxInstruction, maxTarget), seed, hyper, weights);
    System.out.printf("imported %s into %s: %s%n", from, out, m.description());
  }
}
