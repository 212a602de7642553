package dev.hint4j.onnx.train;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.arch.HintWeights;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a training graph trains and how.
 *
 * @param config model sizes
 * @param hint true: HINT (instruction through the hypernetwork); false: the instruction-concatenation baseline
 * @param trainable names of the parameters that learn; the others are fed unchanged
 * @param labelSmoothing ε of the cross-entropy target
 * @param beta1 AdamW first-moment decay
 * @param beta2 AdamW second-moment decay
 * @param epsilon AdamW denominator floor
 * @param weightDecay decoupled weight decay, applied to matrices only (not norms, biases or embeddings' rows... see {@link #decays})
 * @param maxGradNorm global gradient-norm clipping threshold
 */
public record TrainingSpec(HintConfig config, boolean hint, List<String> trainable, double labelSmoothing, double beta1,
    double beta2, double epsilon, double weightDecay, double maxGradNorm) {
  public TrainingSpec {
    if (hint && config.hasPromptSegmentBias()) {
      throw new IllegalArgumentException("the config has the concatenation baseline's prompt segment bias: train it with"
          + " hint = false (TrainCli --mode concat), or use a config without it for HINT");
    }
  }

  /** Which parameters train. */
  public enum Scope {
    /** Everything (the paper's setting: the underlying model is fine-tuned with the hypernetwork). */
    ALL(name -> true),
    /** Only the hypernetwork ("hyper.*"); the encoder-decoder stays as loaded. */
    HYPERNETWORK_ONLY(name -> name.startsWith("hyper.")),
    /** Everything but the embedding and LM head (a frozen vocabulary). */
    FROZEN_EMBEDDINGS(name -> !name.equals("shared.embedding") && !name.equals("lm_head"));

    private final Predicate<String> selects;

    Scope(Predicate<String> selects) {
      this.selects = selects;
    }
  }

  /** Defaults: AdamW (0.9, 0.999, 1e-8), weight decay 0.01, clipping at 1.0, no smoothing. */
  public static TrainingSpec defaults(HintConfig config, boolean hint, Scope scope) {
    List<String> names = HintWeights.shapes(config).keySet().stream()
        .filter(scope.selects)
        .filter(n -> hint || !n.startsWith("hyper.")) // the baseline has no hypernetwork
        .toList();
    return new TrainingSpec(config, hint, names, 0.0, 0.9, 0.999, 1e-8, 0.01, 1.0);
  }

  /** The same setup with another decoupled weight decay. */
  public TrainingSpec withWeightDecay(double decay) {
    return new TrainingSpec(config, hint, trainable, labelSmoothing, beta1, beta2, epsilon, decay, maxGradNorm);
  }

  public TrainingSpec withLabelSmoothing(double epsilon) {
    return new TrainingSpec(config, hint, trainable, epsilon, beta1, beta2, this.epsilon, weightDecay, maxGradNorm);
  }

  /** Decay only weight matrices: not norm scales, position, fusion or segment biases, token embeddings or component embeddings. */
  static boolean decays(String name, long[] shape) {
    return shape.length == 2 && !name.equals("shared.embedding") && !name.equals("hyper.components")
        && !name.equals("hyper.fusion_bias") && !name.equals(HintWeights.PROMPT_SEGMENT_BIAS)
        && !name.endsWith("rel_bias");
  }

  Set<String> trainableSet() {
    return Set.copyOf(trainable);
  }
}
