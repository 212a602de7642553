package dev.hint4j.onnx.train;

import static dev.hint4j.onnx.graph.Ops.add;
import static dev.hint4j.onnx.graph.Ops.div;
import static dev.hint4j.onnx.graph.Ops.min;
import static dev.hint4j.onnx.graph.Ops.mul;
import static dev.hint4j.onnx.graph.Ops.pow;
import static dev.hint4j.onnx.graph.Ops.reduceSum;
import static dev.hint4j.onnx.graph.Ops.sqrt;
import static dev.hint4j.onnx.graph.Ops.sub;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.arch.ArchContext;
import dev.hint4j.onnx.arch.HintGraphs;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.arch.TrainingForward;
import dev.hint4j.onnx.autodiff.Autodiff;
import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training artifacts as ONNX graphs that stock ONNX Runtime runs:
 * <ul>
 *   <li>{@code train_step}: forward, loss, backward (hint4j's autodiff), global-norm clipping and an
 *       AdamW update with bias correction and decoupled weight decay. Inputs: the batch, {@code lr},
 *       {@code step} (1-based), every parameter by name, and {@code m/NAME}, {@code v/NAME} for each
 *       trainable one. Outputs: {@code loss} (mean over target tokens), {@code grad_norm} (before
 *       clipping), {@code new/NAME}, {@code new_m/NAME}, {@code new_v/NAME}.</li>
 *   <li>{@code eval_step}: forward and loss only; outputs {@code loss_sum}, {@code tokens} and
 *       {@code exact_rows} (rows greedy decoding would answer exactly).</li>
 * </ul>
 * Batch inputs: {@code instruction_ids}/{@code instruction_mask} [tasks, Li] and {@code task_index}
 * [batch] (HINT only: one instruction per task, each row names its task), with
 * {@code pretrained_states} [tasks, pretrained_length, width] and {@code pretrained_mask}
 * [tasks, pretrained_length] when the config has a pretrained instruction encoder, {@code input_ids},
 * {@code input_mask}, {@code prompt_mask} [batch, input_length] (the baseline of a config with a
 * prompt segment bias only: 1 on each row's prompt tokens), {@code decoder_input_ids}, {@code labels},
 * {@code label_mask}.
 */
public final class TrainStepGraphs {
  private TrainStepGraphs() {}

  public static Graph trainStep(TrainingSpec spec) {
    Graph g = new Graph("train_step");
    Backward b = backward(g, spec);
    g.scoped("optimizer", () -> {
      adamW(g, spec, b.params(), b.grads());
      return null;
    });
    return g;
  }

  /** The trainable parameters by name and the loss's gradient for each. */
  record Backward(Map<String, Value> params, Map<Value, Value> grads) {}

  /** Forward pass, the mean loss as output {@code loss}, and hint4j's autodiff gradients of the trainable parameters. */
  static Backward backward(Graph g, TrainingSpec spec) {
    Forward f = forward(g, spec);
    Value loss = f.sums().mean();
    g.output("loss", loss);
    Map<String, Value> params = new LinkedHashMap<>();
    for (String name : spec.trainable()) {
      params.put(name, g.value(name));
    }
    return new Backward(params, g.scoped("backward", () -> Autodiff.gradients(g, loss, params.values())));
  }

  public static Graph evalStep(TrainingSpec spec) {
    Graph g = new Graph("eval_step");
    Forward f = forward(g, spec);
    g.output("loss_sum", f.sums().loss());
    g.output("tokens", f.sums().tokens());
    g.output("exact_rows", Loss.exactRows(f.logits(), g.value("labels"), g.value("label_mask")));
    return g;
  }

  /** The loss sums and the logits [batch, target_length, vocab] of one forward pass. */
  record Forward(Loss.Sums sums, Value logits) {}

  /** Batch inputs, then the forward pass with every parameter of the spec's mode as a graph input. */
  static Forward forward(Graph g, TrainingSpec spec) {
    HintConfig c = spec.config();
    ArchContext a = ArchContext.withParameterInputs(g, c);
    Value instructionIds = null;
    Value instructionMask = null;
    Value taskIndex = null;
    Value pretrainedStates = null;
    Value pretrainedMask = null;
    if (spec.hint()) {
      instructionIds = g.input("instruction_ids", DType.INT64, "tasks", "instruction_length");
      instructionMask = g.input("instruction_mask", DType.FLOAT, "tasks", "instruction_length");
      taskIndex = g.input("task_index", DType.INT64, "batch");
      if (c.pretrainedInstructionEncoder() != null) {
        pretrainedStates = g.input("pretrained_states", DType.FLOAT, "tasks", "pretrained_length",
            (long) c.pretrainedInstructionEncoder().width());
        pretrainedMask = g.input("pretrained_mask", DType.FLOAT, "tasks", "pretrained_length");
      }
    }
    Value inputIds = g.input("input_ids", DType.INT64, "batch", "input_length");
    Value inputMask = g.input("input_mask", DType.FLOAT, "batch", "input_length");
    Value promptMask = !spec.hint() && c.hasPromptSegmentBias()
        ? g.input(HintGraphs.PROMPT_MASK, DType.FLOAT, "batch", "input_length") : null;
    Value decoderIds = g.input("decoder_input_ids", DType.INT64, "batch", "target_length");
    Value labels = g.input("labels", DType.INT64, "batch", "target_length");
    Value labelMask = g.input("label_mask", DType.FLOAT, "batch", "target_length");
    Value logits = TrainingForward.logits(a, spec.hint(), instructionIds, instructionMask, taskIndex, pretrainedStates,
        pretrainedMask, inputIds, inputMask, promptMask, decoderIds);
    // Declare every parameter as an input, used or not, so all graphs of a spec take the same state.
    for (String name : HintWeights.shapes(c).keySet()) {
      if (spec.hint() || !name.startsWith("hyper.")) {
        a.param(name);
      }
    }
    return new Forward(Loss.crossEntropy(logits, labels, labelMask, spec.labelSmoothing()), logits);
  }

  /** The global L2 norm of the gradients and the clipping factor min(1, maxNorm / norm), both scalars. */
  record Clipping(Value norm, Value factor) {}

  /** {@code squares} holds g² per gradient; the norm reuses them (AdamW needs them too). */
  static Clipping clipping(Graph g, TrainingSpec spec, List<Value> squares) {
    Value total = null;
    for (Value sq : squares) {
      long[] all = new long[sq.rank()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      Value sum = all.length == 0 ? sq : reduceSum(sq, false, all);
      total = total == null ? sum : add(total, sum);
    }
    Value norm = sqrt(total);
    Value factor = min(g.scalar(1f), div(g.scalar((float) spec.maxGradNorm()), add(norm, g.scalar(1e-6f))));
    return new Clipping(norm, factor);
  }

  /**
   * AdamW with bias correction and decoupled weight decay on clipped gradients ĝ = f·g:
   * m' = β1·m + (1−β1)·ĝ, v' = β2·v + (1−β2)·ĝ², p' = p − lr·(m'/c1 / (sqrt(v'/c2) + ε) + λ·p), c = 1 − β^t.
   * Written so that every per-element pass counts: the scalars are folded first (the clip factor
   * into the moment updates, the bias corrections and lr into one factor each) and g² is shared
   * with the norm, about 14 passes over each parameter instead of 19.
   */
  private static void adamW(Graph g, TrainingSpec spec, Map<String, Value> params, Map<Value, Value> grads) {
    Value lr = g.input("lr", DType.FLOAT);
    Value step = g.input("step", DType.FLOAT);
    Map<Value, Value> squares = new LinkedHashMap<>();
    grads.forEach((p, gp) -> squares.put(p, mul(gp, gp)));
    Clipping clip = clipping(g, spec, new ArrayList<>(squares.values()));
    g.output("grad_norm", clip.norm());
    Value one = g.scalar(1f);
    Value b1 = g.scalar((float) spec.beta1());
    Value b2 = g.scalar((float) spec.beta2());
    Value gradScale = mul(sub(one, b1), clip.factor());                          // (1−β1)·f
    Value squareScale = mul(sub(one, b2), mul(clip.factor(), clip.factor()));    // (1−β2)·f²
    Value rootScale = div(one, sqrt(sub(one, pow(b2, step))));                    // 1/sqrt(c2)
    Value stepScale = div(lr, sub(one, pow(b1, step)));                           // lr/c1
    Value decayKeep = sub(one, mul(lr, g.scalar((float) spec.weightDecay())));   // 1 − lr·λ
    Value eps = g.scalar((float) spec.epsilon());
    for (Map.Entry<String, Value> e : params.entrySet()) {
      String name = e.getKey();
      Value p = e.getValue();
      Value gp = grads.get(p);
      Object[] dims = p.shape().dims().stream().map(d -> (Object) d.size()).toArray();
      Value m = g.input("m/" + name, DType.FLOAT, dims);
      Value v = g.input("v/" + name, DType.FLOAT, dims);
      Value newM = add(mul(m, b1), mul(gp, gradScale));
      Value newV = add(mul(v, b2), mul(squares.get(p), squareScale));
      Value adam = div(newM, add(mul(sqrt(newV), rootScale), eps));
      long[] shape = p.shape().dims().stream().mapToLong(d -> d.size()).toArray();
      Value kept = spec.weightDecay() > 0 && TrainingSpec.decays(name, shape) ? mul(p, decayKeep) : p;
      g.output("new/" + name, sub(kept, mul(adam, stepScale)));
      g.output("new_m/" + name, newM);
      g.output("new_v/" + name, newV);
    }
  }
}
