package dev.hint4j.onnx.train;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.hint4j.HintConfig;
import dev.hint4j.InferenceException;
import dev.hint4j.ModelLoadException;
import dev.hint4j.io.SafeTensors;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.graph.OnnxModelWriter;
import dev.hint4j.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
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
 * between steps). Not thread-safe: one trainer, one thread.
 */
public final class Trainer implements AutoCloseable {
  /** What one step reports. */
  public record StepResult(int step, double loss, double gradNorm) {}

  private final TrainingSpec spec;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
  private final OrtSession train;
  private final OrtSession eval;
  private final Map<String, OnnxTensor> state = new LinkedHashMap<>();
  private final Set<OnnxTensor> owned = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  private final Set<String> trainable;
  private OrtSession.Result lastResult;
  private int step;

  public Trainer(TrainingSpec spec, HintWeights initial) {
    this(spec, initial.asMap(), 0);
  }

  /**
   * Continues from a checkpoint written by {@link #checkpoint}: parameters, AdamW moments and the
   * step count, so the next step is exactly the one an uninterrupted run would take.
   */
  public static Trainer resume(TrainingSpec spec, Path checkpoint) {
    SafeTensors.Contents c = SafeTensors.read(checkpoint);
    String config = c.metadata().get("config");
    if (config == null || !HintConfig.fromJson(config).equals(spec.config())) {
      throw new ModelLoadException("checkpoint " + checkpoint + " was written for another model config");
    }
    if (!String.join(",", spec.trainable()).equals(c.metadata().get("trainable"))
        || !Boolean.toString(spec.hint()).equals(c.metadata().get("hint"))) {
      throw new ModelLoadException("checkpoint " + checkpoint + " was written for another training setup (mode or trainable parameters)");
    }
    return new Trainer(spec, c.tensors(), Integer.parseInt(c.metadata().get("step")));
  }

  private Trainer(TrainingSpec spec, Map<String, FloatTensor> initial, int startStep) {
    this.spec = spec;
    this.step = startStep;
    this.trainable = spec.trainableSet();
    try {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      train = env.createSession(OnnxModelWriter.toModel(TrainStepGraphs.trainStep(spec), Map.of()).toByteArray(), options);
      eval = env.createSession(OnnxModelWriter.toModel(TrainStepGraphs.evalStep(spec), Map.of()).toByteArray(), options);
      for (Map.Entry<String, FloatTensor> e : initial.entrySet()) {
        if (!train.getInputNames().contains(e.getKey())) {
          continue; // e.g. hypernetwork weights when training the baseline
        }
        state.put(e.getKey(), own(floats(e.getValue())));
      }
      for (String name : trainable) { // fresh moments unless the checkpoint carried them
        FloatTensor p = initial.get(name);
        for (String moment : new String[] {"m/", "v/"}) {
          FloatTensor saved = initial.get(moment + name);
          state.put(moment + name, own(floats(saved != null ? saved : FloatTensor.zeros(p.shape()))));
        }
      }
    } catch (OrtException e) {
      close();
      throw new InferenceException("cannot create the training sessions: " + e.getMessage(), e);
    }
  }

  /** One optimizer step on {@code batch} at learning rate {@code lr}. */
  public StepResult step(TrainingBatch batch, double lr) {
    step++;
    Map<String, OnnxTensor> feeds = new HashMap<>(state);
    List<OnnxTensor> batchTensors = batchTensors(batch, feeds);
    try {
      batchTensors.add(put(feeds, "lr", scalar((float) lr)));
      batchTensors.add(put(feeds, "step", scalar(step)));
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
    double sum = 0;
    double tokens = 0;
    for (TrainingBatch b : batches) {
      Map<String, OnnxTensor> feeds = new HashMap<>();
      for (String name : eval.getInputNames()) {
        if (state.containsKey(name)) {
          feeds.put(name, state.get(name));
        }
      }
      List<OnnxTensor> batchTensors = batchTensors(b, feeds);
      try (OrtSession.Result r = eval.run(feeds)) {
        sum += ((OnnxTensor) r.get("loss_sum").orElseThrow()).getFloatBuffer().get(0);
        tokens += ((OnnxTensor) r.get("tokens").orElseThrow()).getFloatBuffer().get(0);
      } catch (OrtException e) {
        throw new InferenceException("eval step failed: " + e.getMessage(), e);
      } finally {
        batchTensors.forEach(OnnxTensor::close);
      }
    }
    return sum / tokens;
  }

  /** The current parameters (the untouched hypernetwork weights of {@code base} fill in for the baseline). */
  public HintWeights weights(HintWeights base) {
    Map<String, FloatTensor> p = new LinkedHashMap<>(base.asMap());
    for (String name : base.asMap().keySet()) {
      OnnxTensor t = state.get(name);
      if (t != null) {
        FloatBuffer b = t.getFloatBuffer();
        float[] a = new float[b.remaining()];
        b.get(a);
        p.put(name, FloatTensor.wrap(t.getInfo().getShape(), a));
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
      FloatBuffer b = e.getValue().getFloatBuffer();
      float[] a = new float[b.remaining()];
      b.get(a);
      tensors.put(e.getKey(), FloatTensor.wrap(e.getValue().getInfo().getShape(), a));
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
        made.add(put(feeds, "instruction_ids", longs(ins.ids(), ins.shape())));
        made.add(put(feeds, "instruction_mask", OnnxTensor.createTensor(env, FloatBuffer.wrap(ins.mask()), ins.shape())));
      }
      TrainingBatch.Padded in = TrainingBatch.pad(batch.inputIds(), c.padId());
      made.add(put(feeds, "input_ids", longs(in.ids(), in.shape())));
      made.add(put(feeds, "input_mask", OnnxTensor.createTensor(env, FloatBuffer.wrap(in.mask()), in.shape())));
      TrainingBatch.Padded dec = TrainingBatch.pad(TrainingBatch.shiftRight(batch.targetIds(), c.decoderStartId()), c.padId());
      TrainingBatch.Padded labels = TrainingBatch.pad(batch.targetIds(), c.padId());
      made.add(put(feeds, "decoder_input_ids", longs(dec.ids(), dec.shape())));
      made.add(put(feeds, "labels", longs(labels.ids(), labels.shape())));
      made.add(put(feeds, "label_mask", OnnxTensor.createTensor(env, FloatBuffer.wrap(labels.mask()), labels.shape())));
      return made;
    } catch (OrtException e) {
      made.forEach(OnnxTensor::close);
      throw new InferenceException("cannot build batch tensors: " + e.getMessage(), e);
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

  private OnnxTensor floats(FloatTensor t) throws OrtException {
    FloatBuffer b = ByteBuffer.allocateDirect(t.size() * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    b.put(t.buffer()).rewind();
    return OnnxTensor.createTensor(env, b, t.shape());
  }

  private OnnxTensor longs(long[] data, long[] shape) throws OrtException {
    return OnnxTensor.createTensor(env, LongBuffer.wrap(data), shape);
  }

  private OnnxTensor scalar(float v) throws OrtException {
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {v}), new long[0]);
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
    try {
      if (train != null) {
        train.close();
      }
      if (eval != null) {
        eval.close();
      }
    } catch (OrtException e) {
      // freeing native sessions; nothing to recover
    }
    options.close();
  }
}
