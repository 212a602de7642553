package dev.hint4j.onnx.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.tensor.FloatTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;

/**
 * Checks the train-step graph's gradient of one parameter against central differences of the eval
 * graph's loss, along the gradient's own direction and a random one. The gradient is read off one
 * AdamW step set up to be plain gradient descent: β1 = β2 = 0 (no bias correction), ε = 1e4 far
 * above |g| (so g/(|g| + ε) = g/ε to a relative 1e-4·|g|), lr = ε, no clipping, no decay: the
 * update is then −g.
 */
final class DirectionalGradientCheck {
  private DirectionalGradientCheck() {}

  /** Asserts the check for {@code name} and returns the gradient's norm (for a lower bound the caller states). */
  static double assertMatches(HintWeights w, boolean hint, TrainingBatch batch, String name) {
    TrainingSpec sgd = new TrainingSpec(w.config(), hint, List.of(name), 0, 0, 0, 1e4, 0, 1e30);
    float[] before = w.get(name).toArray();
    float[] grad = new float[before.length];
    try (Trainer t = new Trainer(sgd, w)) {
      t.step(batch, 1e4);
      float[] after = t.weights(w).get(name).toArray();
      for (int i = 0; i < grad.length; i++) {
        grad[i] = before[i] - after[i];
      }
    }
    double norm = Math.sqrt(dot(grad, grad));
    SplittableRandom r = new SplittableRandom(11);
    float[] random = new float[grad.length];
    for (int i = 0; i < random.length; i++) {
      random[i] = (float) (r.nextDouble() * 2 - 1);
    }
    for (float[] direction : List.of(grad, random)) {
      double len = Math.sqrt(dot(direction, direction));
      double h = 1e-2;
      double plus = loss(w, hint, batch, name, before, direction, h / len);
      double minus = loss(w, hint, batch, name, before, direction, -h / len);
      double numeric = (plus - minus) / (2 * h);
      double analytic = dot(grad, direction) / len;
      // float32 loss (~5 nats) rounds at ~3e-7 → ~3e-5 after dividing by 2h; truncation h²·L''' is of the
      // same order. 2 % of the gradient's norm plus 1e-4 is far above both and far below a wrong gradient.
      assertThat(numeric).as("directional derivative of %s", name).isCloseTo(analytic, Offset.offset(0.02 * norm + 1e-4));
    }
    return norm;
  }

  private static double loss(HintWeights w, boolean hint, TrainingBatch batch, String name, float[] base, float[] direction,
      double scale) {
    float[] moved = base.clone();
    for (int i = 0; i < moved.length; i++) {
      moved[i] += (float) (scale * direction[i]);
    }
    Map<String, FloatTensor> p = new LinkedHashMap<>(w.asMap());
    p.put(name, FloatTensor.wrap(w.get(name).shape(), moved));
    HintWeights m = new HintWeights(w.config(), p);
    try (Trainer t = new Trainer(TrainingSpec.defaults(m.config(), hint, TrainingSpec.Scope.ALL), m)) {
      return t.evaluate(List.of(batch));
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
