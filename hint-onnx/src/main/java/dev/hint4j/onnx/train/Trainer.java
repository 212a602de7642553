package dev.hint4j.onnx.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.hint4j.Device;
import dev.hint4j.HintConfig;
import dev.hint4j.InferenceException;
import dev.hint4j.ModelLoadException;
import dev.hint4j.internal.io.SafeTensors;
import dev.hint4j.onnx.arch.HintGraphs;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.graph.OnnxModelWriter;
import dev.hint4j.onnx.runtime.SessionFactory;
import dev.hint4j.onnx.runtime.Tensors;
import dev.hint4j.spi.RuntimeOptions;
import dev.hint4j.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the train-step graph on stock ONNX Runtime: holds parameters and AdamW moments as native
 * tensors, feeds a batch, and swaps in the updated state the graph returns (no copies to Java
 * between steps). Sessions come from the same {@link SessionFactory} as inference, so training
 * takes the same {@link RuntimeOptions} (device, threads, CPU fallback). Not thread-safe: one
 * trainer, one thread.
 */
public final class Trainer implements AutoCloseable {
  /** What one step reports. */
  public record StepResult(int step, double loss, double gradNorm) {}

  /**
   * What {@link #evaluateAll} reports.
   *
   * @param loss mean loss per target token
   * @param exactMatch fraction of rows greedy decoding would answer exactly (every target token the argmax)
   * @param rows rows evaluated
   */
  public record Evaluation(double loss, double exactMatch, int rows) {}

  /** CPU with ONNX Runtime's default threads. */
  public static final RuntimeOptions CPU = new RuntimeOptions(Device.cpu(), false, 0);

  private final TrainingSpec spec;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final SessionFactory sessions;
  private final OrtSession train;
  private final OrtSession eval;
  private final Map<String, OnnxTensor> state = new LinkedHashMap<>();
  private final Set<OnnxTensor> owned = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  private final Set<String> trainable;
  private OrtSession.Result lastResult;
  private int step;

  public Trainer(TrainingSpec spec, HintWeights initial) {
    this(spec, initial, CPU);
  }

  public Trainer(TrainingSpec spec, HintWeights initial, RuntimeOptions runtime) {
    this(spec, initial.asMap(), 0, runtime);
  }

  public static Trainer resume(TrainingSpec spec, Path checkpoint) {
    return resume(spec, checkpoint, CPU);
  }

  /**
   * Continues from a checkpoint written by {@link #checkpoint}: parameters, AdamW moments and the
   * step count, so the next step is exactly the one an uninterrupted run would take.
   */
  public static Trainer resume(TrainingSpec spec, Path checkpoint, RuntimeOptions runtime) {
    SafeTensors.Contents c = SafeTensors.read(checkpoint);
    String config = c.metadata().get("config");
    if (config == null || !HintConfig.fromJson(config).equals(spec.config())) {
      throw new ModelLoadException("checkpoint " + checkpoint + " was written for another model config");
    }
    if (!String.join(",", spec.trainable()).equals(c.metadata().get("trainable"))
        || !Boolean.toString(spec.hint()).equals(c.metadata().get("hint"))) {
      throw new ModelLoadException("checkpoint " + checkpoint + " was written for another training setup (mode or trainable parameters)");
    }
    return new Trainer(spec, c.tensors(), Integer.parseInt(c.metadata().get("step")), runtime);
  }

  private Trainer(TrainingSpec spec, Map<String, FloatTensor> initial, int startStep, RuntimeOptions runtime) {
    this.spec = spec;
    this.step = startStep;
    this.trainable = spec.trainableSet();
    this.sessions = new SessionFactory(env, runtime);
    OrtSession trainSession = null;
    OrtSession evalSession = null;
    try {
      trainSession = sessions.open(OnnxModelWriter.toModel(TrainStepGraphs.trainStep(spec), Map.of()).toByteArray(), "train step");
      evalSession = sessions.open(OnnxModelWriter.toModel(TrainStepGraphs.evalStep(spec), Map.of()).toByteArray(), "eval step");
    } catch (RuntimeException e) {
      SessionFactory.closeQuietly(trainSession);
      sessions.close();
      throw e;
    }
    train = trainSession;
    eval = evalSession;
    try {
      for (Map.Entry<String, FloatTensor> e : initial.entrySet()) {
        if (!train.getInputNames().contains(e.getKey())) {
          continue; // e.g. hypernetwork weights when training the baseline
        }
        state.put(e.getKey(), own(Tensors.floats(env, e.getValue())));
      }
      for (String name : trainable) { // fresh moments unless the checkpoint carried them
        FloatTensor p = initial.get(name);
        for (String moment : new String[] {"m/", "v/"}) {
          FloatTensor saved = initial.get(moment + name);
          state.put(moment + name, own(Tensors.floats(env, saved != null ? saved : FloatTensor.zeros(p.shape()))));
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The device the sessions run on (CPU when a CUDA request fell back, where allowed). */
  public Device device() {
    return sessions.device();
  }

  /** One optimizer step on {@code batch} at learning rate {@code lr}. */
  public StepResult step(TrainingBatch batch, double lr) {
    step++;
    Map<String, OnnxTensor> feeds = new HashMap<>(state);
    List<OnnxTensor> batchTensors = batchTensors(batch, feeds);
    try {
      batchTensors.add(put(feeds, "lr", Tensors.scalar(env, (float) lr)));
      batchTensors.add(put(feeds, "step", Tensors.scalar(env, step)));
      OrtSession.Result r = train.run(feeds);
      double loss = ((OnnxTensor) r.get("loss").orElseThrow()).getFloatBuffer().get(0);
      double norm = ((OnnxTensor) r.get("grad_norm").orElseThrow()).getFloatBuffer().get(0);
      for (String name : trainable) {
        replace(name, (OnnxTensor) r.get("new/" + name).orElseThrow());
        replace("m/" + name, (OnnxTensor) r.get("new_m/" + name).orElseThrow());
        replace("v/" + name, (OnnxTensor) r.get("new_v/" + name).orElseThrow());
      }
      if (lastResult != null) {
        lastResult.close(); // its tensors were the state just replaced
      }
      lastResult = r;
      return new StepResult(step, loss, norm);
    } catch (OrtException e) {
      throw new InferenceException("train step " + step + " failed: " + e.getMessage(), e);
    } finally {
      batchTensors.forEach(OnnxTensor::close);
    }
  }

  /** Mean loss per target token over the batches (no update). */
  public double evaluate(List<TrainingBatch> batches) {
    return evaluateAll(batches).loss();
  }

  /** Loss and greedy exact match over the batches (no update). */
  public Evaluation evaluateAll(List<TrainingBatch> batches) {
    double sum = 0;
    double tokens = 0;
    double exact = 0;
    int rows = 0;
    for (TrainingBatch b : batches) {
      Map<String, OnnxTensor> feeds = new HashMap<>();
      for (String name : eval.getInputNames()) {
        if (state.containsKey(name)) {
          feeds.put(name, state.get(name));
        }
      }
      List<OnnxTensor> batchTensors = batchTensors(b, feeds);
      try (OrtSession.Result r = eval.run(feeds)) {
        sum += scalarOf(r, "loss_sum");
        tokens += scalarOf(r, "tokens");
        exact += scalarOf(r, "exact_rows");
        rows += b.size();
      } catch (OrtException e) {
        throw new InferenceException("eval step failed: " + e.getMessage(), e);
      } finally {
        batchTensors.forEach(OnnxTensor::close);
      }
    }
    return new Evaluation(sum / tokens, exact / rows, rows);
  }

  private static float scalarOf(OrtSession.Result r, String name) {
    return ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer().get(0);
  }

  /** The current parameters (the untouched hypernetwork weights of {@code base} fill in for the baseline). */
  public HintWeights weights(HintWeights base) {
    Map<String, FloatTensor> p = new LinkedHashMap<>(base.asMap());
    for (String name : base.asMap().keySet()) {
      OnnxTensor t = state.get(name);
      if (t != null) {
        p.put(name, Tensors.toFloatTensor(t));
      }
    }
    return new HintWeights(base.config(), p);
  }

  public int steps() {
    return step;
  }

  /**
   * Writes parameters, AdamW moments, step, config and training setup to one safetensors file,
   * atomically (an interrupted write leaves the previous checkpoint).
   */
  public void checkpoint(Path file) {
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, OnnxTensor> e : state.entrySet()) {
      tensors.put(e.getKey(), Tensors.toFloatTensor(e.getValue()));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "hint4j-checkpoint-1");
    meta.put("step", Integer.toString(step));
    meta.put("config", spec.config().toJson());
    meta.put("hint", Boolean.toString(spec.hint()));
    meta.put("trainable", String.join(",", spec.trainable()));
    SafeTensors.write(file, tensors, meta);
  }

  public TrainingSpec spec() {
    return spec;
  }

  private List<OnnxTensor> batchTensors(TrainingBatch batch, Map<String, OnnxTensor> feeds) {
    HintConfig c = spec.config();
    List<OnnxTensor> made = new ArrayList<>();
    try {
      if (spec.hint()) {
        TrainingBatch.Padded ins = TrainingBatch.pad(batch.instructionIds(), c.padId());
        made.add(put(feeds, "instruction_ids", Tensors.longs(env, ins.ids(), ins.shape())));
        made.add(put(feeds, "instruction_mask", Tensors.floats(env, ins.mask(), ins.shape())));
        long[] taskIndex = java.util.Arrays.stream(batch.taskOfRow()).asLongStream().toArray();
        made.add(put(feeds, "task_index", Tensors.longs(env, taskIndex, new long[] {taskIndex.length})));
        HintConfig.PretrainedInstructionEncoder pretrained = c.pretrainedInstructionEncoder();
        if ((pretrained != null) != (batch.pretrainedStates() != null)) {
          throw new IllegalArgumentException(pretrained != null
              ? "this model reads " + pretrained.name() + " states of every instruction: the batch has none"
              : "the batch carries pretrained instruction states but this model has no pretrained instruction encoder");
        }
        if (pretrained != null) {
          TrainingBatch.PaddedStates s = TrainingBatch.padStates(batch.pretrainedStates(), pretrained.width());
          made.add(put(feeds, "pretrained_states", Tensors.floats(env, s.states(), s.statesShape())));
          made.add(put(feeds, "pretrained_mask", Tensors.floats(env, s.mask(), s.maskShape())));
        }
      }
      TrainingBatch.Padded in = TrainingBatch.pad(batch.inputIds(), c.padId());
      made.add(put(feeds, "input_ids", Tensors.longs(env, in.ids(), in.shape())));
      made.add(put(feeds, "input_mask", Tensors.floats(env, in.mask(), in.shape())));
      if (!spec.hint() && c.hasPromptSegmentBias()) {
        if (batch.promptTokens() == null) {
          throw new IllegalArgumentException("this baseline has a prompt segment bias: the batch must say how many tokens"
              + " of each input are its prompt (TrainingBatch.concatenated)");
        }
        made.add(put(feeds, HintGraphs.PROMPT_MASK, Tensors.floats(env, batch.promptMask(), in.shape())));
      }
      TrainingBatch.Padded dec = TrainingBatch.pad(TrainingBatch.shiftRight(batch.targetIds(), c.decoderStartId()), c.padId());
      TrainingBatch.Padded labels = TrainingBatch.pad(batch.targetIds(), c.padId());
      made.add(put(feeds, "decoder_input_ids", Tensors.longs(env, dec.ids(), dec.shape())));
      made.add(put(feeds, "labels", Tensors.longs(env, labels.ids(), labels.shape())));
      made.add(put(feeds, "label_mask", Tensors.floats(env, labels.mask(), labels.shape())));
      return made;
    } catch (RuntimeException e) {
      made.forEach(OnnxTensor::close);
      throw e;
    }
  }

  private static OnnxTensor put(Map<String, OnnxTensor> feeds, String name, OnnxTensor t) {
    feeds.put(name, t);
    return t;
  }

  private void replace(String name, OnnxTensor next) {
    OnnxTensor prev = state.put(name, next);
    if (prev != null && owned.remove(prev)) {
      prev.close();
    }
  }

  private OnnxTensor own(OnnxTensor t) {
    owned.add(t);
    return t;
  }


  @Override
  public void close() {
    if (lastResult != null) {
      lastResult.close();
      lastResult = null;
    }
    owned.forEach(OnnxTensor::close);
    owned.clear();
    state.clear();
    SessionFactory.closeQuietly(train);
    SessionFactory.closeQuietly(eval);
    sessions.close();
  }
}
