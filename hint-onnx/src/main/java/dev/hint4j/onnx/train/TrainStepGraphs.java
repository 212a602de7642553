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
 * [batch] (HINT only: one instruction per task, each row names its task), {@code input_ids},
 * {@code input_mask}, {@code decoder_input_ids}, {@code labels}, {@code label_mask}.
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
    if (spec.hint()) {
      instructionIds = g.input("instruction_ids", DType.INT64, "tasks", "instruction_length");
      instructionMask = g.input("instruction_mask", DType.FLOAT, "tasks", "instruction_length");
      taskIndex = g.input("task_index", DType.INT64, "batch");
    }
    Value inputIds = g.input("input_ids", DType.INT64, "batch", "input_length");
    Value inputMask = g.input("input_mask", DType.FLOAT, "batch", "input_length");
    Value decoderIds = g.input("decoder_input_ids", DType.INT64, "batch", "target_length");
    Value labels = g.input("labels", DType.INT64, "batch", "target_length");
    Value labelMask = g.input("label_mask", DType.FLOAT, "batch", "target_length");
    Value logits = TrainingForward.logits(a, spec.hint(), instructionIds, instructionMask, taskIndex, inputIds, inputMask, decoderIds);
    // Declare every parameter as an input, used or not, so all graphs of a spec take the same state.
    for (String name : HintWeights.shapes(c).keySet()) {
      if (spec.hint() || !name.startsWith("hyper.")) {
        a.param(name);
      }
    }
    return new Forward(Loss.crossEntropy(logits, labels, labelMask, spec.labelSmoothing()), logits);
  }

  /** Gradients scaled so their global L2 norm is at most {@code spec.maxGradNorm()}, and that norm before scaling. */
  record Clipped(Map<Value, Value> grads, Value norm) {}

  static Clipped clip(Graph g, TrainingSpec spec, Map<Value, Value> grads) {
    List<Value> squares = new ArrayList<>();
    for (Value gp : grads.values()) {
      long[] all = new long[gp.rank()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      squares.add(all.length == 0 ? mul(gp, gp) : reduceSum(mul(gp, gp), false, all));
    }
    Value total = squares.get(0);
    for (int i = 1; i < squares.size(); i++) {
      total = add(total, squares.get(i));
    }
    Value norm = sqrt(total);
    Value factor = min(g.scalar(1f), div(g.scalar((float) spec.maxGradNorm()), add(norm, g.scalar(1e-6f))));
    Map<Value, Value> clipped = new LinkedHashMap<>();
    grads.forEach((p, gp) -> clipped.put(p, mul(gp, factor)));
    return new Clipped(clipped, norm);
  }

  private static void adamW(Graph g, TrainingSpec spec, Map<String, Value> params, Map<Value, Value> grads) {
    Value lr = g.input("lr", DType.FLOAT);
    Value step = g.input("step", DType.FLOAT);
    Clipped clipped = clip(g, spec, grads);
    g.output("grad_norm", clipped.norm());
    Value b1 = g.scalar((float) spec.beta1());
    Value b2 = g.scalar((float) spec.beta2());
    Value one = g.scalar(1f);
    Value correction1 = sub(one, pow(b1, step)); // bias corrections 1 − β^t
    Value correction2 = sub(one, pow(b2, step));
    for (Map.Entry<String, Value> e : params.entrySet()) {
      String name = e.getKey();
      Value p = e.getValue();
      Value gp = clipped.grads().get(p);
      Object[] dims = p.shape().dims().stream().map(d -> (Object) d.size()).toArray();
      Value m = g.input("m/" + name, DType.FLOAT, dims);
      Value v = g.input("v/" + name, DType.FLOAT, dims);
      Value newM = add(mul(b1, m), mul(sub(one, b1), gp));
      Value newV = add(mul(b2, v), mul(sub(one, b2), mul(gp, gp)));
      Value update = div(div(newM, correction1), add(sqrt(div(newV, correction2)), g.scalar((float) spec.epsilon())));
      long[] shape = p.shape().dims().stream().mapToLong(d -> d.size()).toArray();
      if (spec.weightDecay() > 0 && TrainingSpec.decays(name, shape)) {
        update = add(update, mul(g.scalar((float) spec.weightDecay()), p));
      }
      g.output("new/" + name, sub(p, mul(lr, update)));
      g.output("new_m/" + name, newM);
      g.output("new_v/" + name, newV);
    }
  }
}
