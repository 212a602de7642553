package dev.hint4j.onnx.export;

import dev.hint4j.HintConfig;
import dev.hint4j.ModelManifest;
import dev.hint4j.internal.tokenize.TokenizerJsonWriter;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.arch.WeightQuantization;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * A model with seeded random weights and hint4j's default tokenizer: the fixture of tests and
 * benchmarks, and the main job's model until a trained one ships. Its outputs are meaningless.
 */
public final class RandomModel {
  private RandomModel() {}

  /**
   * @param sizes the config for a given tokenizer vocabulary size (e.g. {@code HintConfig::small})
   * @param minVocab embedding rows at least this many (a 32k-row embedding shapes a model like T5
   *     even though the tokenizer uses fewer pieces)
   */
  public static ModelManifest create(Path dir, IntFunction<HintConfig> sizes, int minVocab, long seed, boolean externalData) {
    return create(dir, sizes, minVocab, seed, externalData, true);
  }

  /** As above, choosing whether modules carry the instruction's cross-attention keys/values (see ModelExporter.Options). */
  public static ModelManifest create(Path dir, IntFunction<HintConfig> sizes, int minVocab, long seed, boolean externalData,
      boolean cacheInstructionKv) {
    return create(dir, sizes, minVocab, seed, externalData, cacheInstructionKv, WeightQuantization.FLOAT32);
  }

  /** As above, with the encoder's and decoder's matmul weights stored as {@code format} says. */
  public static ModelManifest create(Path dir, IntFunction<HintConfig> sizes, int minVocab, long seed, boolean externalData,
      boolean cacheInstructionKv, WeightQuantization format) {
    TokenizerJsonWriter tokenizer = TokenizerJsonWriter.withWords(TokenizerJsonWriter.defaultWords());
    HintConfig config = sizes.apply(Math.max(minVocab, tokenizer.vocabSize()));
    HintWeights weights = HintWeights.random(config, seed);
    String description = "RANDOM weights (seed " + seed + "): a structurally complete HINT model whose outputs"
        + " are meaningless; for tests and benchmarks";
    return ModelExporter.export(weights, tokenizer.toJson(), dir,
        new ModelExporter.Options("random-d" + config.dModel() + "-seed" + seed, description, externalData,
            cacheInstructionKv, format));
  }
}
