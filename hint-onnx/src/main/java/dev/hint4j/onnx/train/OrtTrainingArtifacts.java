package dev.hint4j.onnx.train;

import static dev.hint4j.onnx.graph.Ops.mul;

import ai.onnx.proto.OnnxMl;
import dev.hint4j.InvalidInputException;
import dev.hint4j.internal.io.AtomicFiles;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.OnnxModelWriter;
import dev.hint4j.onnx.graph.Value;
import dev.hint4j.tensor.FloatTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link TrainingSpec} as ONNX Runtime's on-device training artifacts, for runtimes
 * built with training (its C/C++, C#, mobile and Java-with-training builds):
 * <ul>
 *   <li>{@value #TRAINING_MODEL}: the forward pass, the loss, hint4j's {@link dev.hint4j.onnx.autodiff.Autodiff} gradients
 *       clipped to {@code maxGradNorm} in global L2 norm, and one
 *       {@code com.microsoft::InPlaceAccumulatorV2} per trainable parameter that adds its gradient
 *       into {@code NAME_grad.accumulation.buffer} (or overwrites it after
 *       {@code LazyResetGrad}). User inputs: the batch of {@link TrainStepGraphs}; user outputs:
 *       {@code loss}, {@code grad_norm}.</li>
 *   <li>{@value #EVAL_MODEL}: forward pass and loss; outputs {@code loss} and {@code logits}
 *       (export {@code logits} for inference).</li>
 *   <li>{@value #OPTIMIZER_MODEL}: one {@code com.microsoft::AdamWOptimizer} in PyTorch's mode
 *       (bias correction on both moments, decoupled weight decay before the update), the math of
 *       hint4j's own train step.</li>
 *   <li>{@value #CHECKPOINT}: parameters (trainable and frozen), zero AdamW moments, and the
 *       model config in the property bag ({@value #CONFIG_PROPERTY}).</li>
 * </ul>
 * Parameters are graph inputs named as in {@link HintWeights}, so ONNX Runtime binds them to the
 * checkpoint by name. ONNX Runtime does not apply the checkpoint's learning rate on load: call
 * {@code SetLearningRate} (or register a scheduler) before the first optimizer step.
 *
 * <p>Two differences from hint4j's train step, both from ONNX Runtime's design: clipping is per
 * training step, so with gradient accumulation each micro-batch is clipped on its own; and
 * AdamWOptimizer applies one weight decay to all parameters, so a spec whose weight decay would
 * skip some trainable parameters (hint4j exempts norms, biases and embeddings) is refused.
 */
public final class OrtTrainingArtifacts {
  public static final String TRAINING_MODEL = "training_model.onnx";
  public static final String EVAL_MODEL = "eval_model.onnx";
  public static final String OPTIMIZER_MODEL = "optimizer_model.onnx";
  public static final String CHECKPOINT = "checkpoint";
  public static final String CONFIG_PROPERTY = "hint4j.config";

  static final String MS_DOMAIN = "com.microsoft";
  static final String GRAD_BUFFER_SUFFIX = "_grad.accumulation.buffer";
  static final String GRAD_OUT_SUFFIX = "_grad.accumulation.out";
  static final String RESET_GRAD = "lazy_reset_grad";
  private static final String GRAD_SUFFIX = "_grad";

  private OrtTrainingArtifacts() {}

  /**
   * Writes the four artifacts into {@code dir}, replacing it as a whole (an interrupted export
   * leaves the previous directory).
   *
   * @param weights initial values of every parameter the spec's mode uses
   * @param learningRate recorded in the checkpoint as the group's initial rate
   */
  public static void export(TrainingSpec spec, HintWeights weights, float learningRate, Path dir) {
    check(spec, weights);
    Path target = dir.toAbsolutePath().normalize();
    Path staged = target.resolveSibling("." + target.getFileName() + ".staging-" + System.nanoTime());
    try {
      Files.createDirectories(staged);
      Files.write(staged.resolve(TRAINING_MODEL), trainingModel(spec).toByteArray());
      Files.write(staged.resolve(EVAL_MODEL), evalModel(spec).toByteArray());
      Files.write(staged.resolve(OPTIMIZER_MODEL), optimizerModel(spec).toByteArray());
      Files.write(staged.resolve(CHECKPOINT), checkpoint(spec, weights, learningRate));
      AtomicFiles.replaceDirectory(staged, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export ONNX Runtime training artifacts to " + target + ": " + e.getMessage(), e);
    } finally {
      try {
        AtomicFiles.deleteRecursively(staged);
      } catch (IOException ignored) {
        // gone after a successful move; otherwise best-effort cleanup
      }
    }
  }

  private static void check(TrainingSpec spec, HintWeights weights) {
    if (!weights.config().equals(spec.config())) {
      throw new InvalidInputException("the weights were made for another model config than the training spec");
    }
    if (spec.trainable().isEmpty()) {
      throw new InvalidInputException("the spec trains no parameter; ONNX Runtime's optimizer needs at least one");
    }
    if (spec.weightDecay() > 0) {
      List<String> exempt = spec.trainable().stream()
          .filter(n -> !TrainingSpec.decays(n, HintWeights.shapes(spec.config()).get(n)))
          .toList();
      if (!exempt.isEmpty()) {
        throw new InvalidInputException("ONNX Runtime's AdamWOptimizer applies one weight decay to every trainable "
            + "parameter, but hint4j does not decay " + exempt.size() + " of them (e.g. " + exempt.get(0)
            + "). Use weight decay 0, or train only parameters that decay.");
      }
    }
  }

  static OnnxMl.ModelProto trainingModel(TrainingSpec spec) {
    Graph g = new Graph("training_model");
    TrainStepGraphs.Backward b = TrainStepGraphs.backward(g, spec);
    Map<String, Value> params = b.params();
    TrainStepGraphs.Clipping clip = g.scoped("clip",
        () -> TrainStepGraphs.clipping(g, spec, b.grads().values().stream().map(gp -> mul(gp, gp)).toList()));
    g.output("grad_norm", clip.norm());
    params.forEach((name, p) -> g.output(name + GRAD_SUFFIX, mul(b.grads().get(p), clip.factor())));

    // The toolkit has no ops outside the default domain: add the accumulators to the proto.
    OnnxMl.ModelProto m = OnnxModelWriter.toModel(g, Map.of());
    OnnxMl.GraphProto.Builder gb = m.getGraph().toBuilder();
    Set<String> gradOutputs = Set.copyOf(params.keySet().stream().map(n -> n + GRAD_SUFFIX).toList());
    List<OnnxMl.ValueInfoProto> kept = gb.getOutputList().stream().filter(o -> !gradOutputs.contains(o.getName())).toList();
    gb.clearOutput().addAllOutput(kept);
    for (String name : params.keySet()) {
      OnnxMl.TypeProto paramType = gb.getInputList().stream().filter(in -> in.getName().equals(name))
          .findFirst().orElseThrow().getType();
      gb.addInput(OnnxMl.ValueInfoProto.newBuilder().setName(name + GRAD_BUFFER_SUFFIX).setType(paramType));
    }
    gb.addInput(valueInfo(RESET_GRAD, tensorType(OnnxMl.TensorProto.DataType.BOOL_VALUE, 1)));
    for (String name : params.keySet()) {
      gb.addNode(OnnxMl.NodeProto.newBuilder().setName("accumulate/" + name).setOpType("InPlaceAccumulatorV2")
          .setDomain(MS_DOMAIN)
          .addInput(name + GRAD_BUFFER_SUFFIX).addInput(name + GRAD_SUFFIX).addInput(RESET_GRAD)
          .addOutput(name + GRAD_OUT_SUFFIX));
      gb.addOutput(valueInfo(name + GRAD_OUT_SUFFIX, tensorType(OnnxMl.TensorProto.DataType.BOOL_VALUE, 1)));
    }
    return withMicrosoftOpset(m.toBuilder().setGraph(gb)).build();
  }

  static OnnxMl.ModelProto evalModel(TrainingSpec spec) {
    Graph g = new Graph("eval_model");
    TrainStepGraphs.Forward f = TrainStepGraphs.forward(g, spec);
    g.output("loss", f.sums().mean());
    g.output("logits", f.logits());
    return OnnxModelWriter.toModel(g, Map.of());
  }

  /** Inputs, names and order exactly as ONNX Runtime's optimizer expects them. */
  static OnnxMl.ModelProto optimizerModel(TrainingSpec spec) {
    int f = OnnxMl.TensorProto.DataType.FLOAT_VALUE;
    List<String> inputs = List.of("learning_rate", "step", "params", "gradients", "first_order_moments", "second_order_moments");
    OnnxMl.GraphProto.Builder gb = OnnxMl.GraphProto.newBuilder().setName("optimizer_model")
        .addInput(valueInfo(inputs.get(0), tensorType(f, 1)))
        .addInput(valueInfo(inputs.get(1), tensorType(OnnxMl.TensorProto.DataType.INT64_VALUE, 1)));
    for (String seq : inputs.subList(2, 6)) {
      gb.addInput(valueInfo(seq, sequenceOf(f)));
    }
    OnnxMl.NodeProto.Builder adamw = OnnxMl.NodeProto.newBuilder().setName("adamw").setOpType("AdamWOptimizer")
        .setDomain(MS_DOMAIN).addAllInput(inputs)
        .addOutput("updated_flag").addOutput("updated_params")
        .addOutput("updated_first_order_moments").addOutput("updated_second_order_moments")
        .addAttribute(floatAttribute("alpha", spec.beta1()))
        .addAttribute(floatAttribute("beta", spec.beta2()))
        .addAttribute(floatAttribute("epsilon", spec.epsilon()))
        .addAttribute(floatAttribute("weight_decay", spec.weightDecay()))
        .addAttribute(intAttribute("adam_mode", 0)) // PyTorch: decay, then bias-corrected update
        .addAttribute(intAttribute("correct_bias", 1));
    gb.addNode(adamw)
        .addOutput(valueInfo("updated_flag", tensorType(OnnxMl.TensorProto.DataType.BOOL_VALUE, 1)))
        .addOutput(valueInfo("updated_params", sequenceOf(f)))
        .addOutput(valueInfo("updated_first_order_moments", sequenceOf(f)))
        .addOutput(valueInfo("updated_second_order_moments", sequenceOf(f)));
    OnnxMl.ModelProto.Builder mb = OnnxMl.ModelProto.newBuilder()
        .setIrVersion(OnnxModelWriter.IR_VERSION).setProducerName("hint4j").setProducerVersion("0.1")
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxModelWriter.OPSET))
        .setGraph(gb);
    return withMicrosoftOpset(mb).build();
  }

  static byte[] checkpoint(TrainingSpec spec, HintWeights weights, float learningRate) {
    Set<String> trainable = Set.copyOf(spec.trainable());
    Map<String, FloatTensor> learn = new LinkedHashMap<>();
    Map<String, FloatTensor> frozen = new LinkedHashMap<>();
    for (Map.Entry<String, FloatTensor> e : weights.asMap().entrySet()) {
      if (trainable.contains(e.getKey())) {
        learn.put(e.getKey(), e.getValue());
      } else if (spec.hint() || !e.getKey().startsWith("hyper.")) { // the baseline has no hypernetwork inputs
        frozen.put(e.getKey(), e.getValue());
      }
    }
    Map<String, String> strings = Map.of(CONFIG_PROPERTY, spec.config().toJson(), "hint4j.mode", spec.hint() ? "hint" : "concat");
    return OrtCheckpoint.toBytes(learn, frozen, learningRate, Map.of(), strings);
  }

  private static OnnxMl.ModelProto.Builder withMicrosoftOpset(OnnxMl.ModelProto.Builder m) {
    return m.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1));
  }

  private static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TypeProto type) {
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
  }

  private static OnnxMl.TypeProto tensorType(int elemType, long... dims) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    for (long d : dims) {
      shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)).build();
  }

  private static OnnxMl.TypeProto sequenceOf(int elemType) {
    OnnxMl.TypeProto element = OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType)).build();
    return OnnxMl.TypeProto.newBuilder().setSequenceType(OnnxMl.TypeProto.Sequence.newBuilder().setElemType(element)).build();
  }

  private static OnnxMl.AttributeProto floatAttribute(String name, double v) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF((float) v).build();
  }

  private static OnnxMl.AttributeProto intAttribute(String name, long v) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
  }
}
