package dev.hint4j.examples;

import dev.hint4j.ModelManifest;
import dev.hint4j.onnx.arch.WeightQuantization;
import dev.hint4j.onnx.export.ExportedWeights;
import java.nio.file.Path;

/**
 * Exports a float32 model directory again with quantized encoder and decoder weights (the
 * hypernetwork stays float32, so both models compile identical task modules, though each refuses
 * the other's: a quantized model has its own fingerprint).
 *
 * <p>{@code mvn -q -DskipTests package exec:java -Dexec.mainClass=dev.hint4j.examples.QuantizeModel
 * -Dexec.args="--from models/t5-hint --out models/t5-hint-int8 --weights int8"}; --weights takes
 * fp32, int8 or int4, optionally with :block=N (16..256) and :accuracy=N (ONNX Runtime's MatMulNBits).
 */
public final class QuantizeModel {
  private QuantizeModel() {}

  public static void main(String[] args) {
    Path from = null;
    Path out = null;
    WeightQuantization weights = WeightQuantization.INT8;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--from" -> from = Path.of(v);
        case "--out" -> out = Path.of(v);
        case "--weights" -> weights = WeightQuantization.parse(v);
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --from DIR --out DIR --weights int8|int4");
      }
    }
    if (from == null || out == null) {
      throw new IllegalArgumentException("use --from FLOAT32_MODEL_DIR --out MODEL_DIR [--weights int8|int4]");
    }
    ModelManifest m = ExportedWeights.reexport(from, out, weights);
    System.out.printf("wrote %s (%s weights) to %s; fingerprint %s%n", m.name(), weights.id(), out,
        m.fingerprint().substring(0, 12));
  }
}
