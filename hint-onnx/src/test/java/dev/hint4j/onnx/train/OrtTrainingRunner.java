package dev.hint4j.onnx.train;

import static org.bytedeco.onnxruntime.global.onnxruntime.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
import static org.bytedeco.onnxruntime.global.onnxruntime.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64;
import static org.bytedeco.onnxruntime.global.onnxruntime.ORT_API_VERSION;
import static org.bytedeco.onnxruntime.global.onnxruntime.ORT_LOGGING_LEVEL_WARNING;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtArenaAllocator;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtGetApiBase;
import static org.bytedeco.onnxruntime.global.onnxruntime.OrtMemTypeDefault;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.onnxruntime.OrtAllocator;
import org.bytedeco.onnxruntime.OrtApi;
import org.bytedeco.onnxruntime.OrtCheckpointState;
import org.bytedeco.onnxruntime.OrtEnv;
import org.bytedeco.onnxruntime.OrtMemoryInfo;
import org.bytedeco.onnxruntime.OrtRunOptions;
import org.bytedeco.onnxruntime.OrtSessionOptions;
import org.bytedeco.onnxruntime.OrtStatus;
import org.bytedeco.onnxruntime.OrtTrainingApi;
import org.bytedeco.onnxruntime.OrtTrainingSession;
import org.bytedeco.onnxruntime.OrtValue;

/**
 * Drives exported artifacts through ONNX Runtime's on-device training C API (the JavaCPP presets
 * expose it; Microsoft's Java package does not ship training). Test-only: the C API crashes the
 * JVM on misuse instead of throwing, so every status is checked at once and the native objects
 * are created in the order the API requires (environment before checkpoint, real run options).
 */
final class OrtTrainingRunner implements AutoCloseable {
  /** A float tensor read back: shape and values. */
  record Floats(long[] shape, float[] values) {}

  private final OrtApi api;
  private final OrtTrainingApi training;
  private final OrtEnv env;
  private final OrtCheckpointState checkpoint;
  private final OrtSessionOptions options;
  private final OrtTrainingSession session;
  private final OrtRunOptions runOptions;
  private final OrtMemoryInfo cpu;
  private final OrtAllocator allocator;
  private final List<String> inputNames = new ArrayList<>();
  private final List<String> outputNames = new ArrayList<>();

  OrtTrainingRunner(Path artifacts) {
    api = OrtGetApiBase().GetApi().call(ORT_API_VERSION);
    training = api.GetTrainingApi().call(ORT_API_VERSION);
    if (training == null || training.isNull()) {
      throw new IllegalStateException("this ONNX Runtime build has no training API");
    }
    PointerPointer<OrtEnv> envOut = new PointerPointer<>(1);
    check(api.CreateEnv(ORT_LOGGING_LEVEL_WARNING, new BytePointer("hint4j-test"), envOut));
    env = envOut.get(OrtEnv.class, 0);
    PointerPointer<OrtCheckpointState> checkpointOut = new PointerPointer<>(1);
    check(training.LoadCheckpoint(path(artifacts.resolve(OrtTrainingArtifacts.CHECKPOINT)), checkpointOut));
    checkpoint = checkpointOut.get(OrtCheckpointState.class, 0);
    PointerPointer<OrtSessionOptions> optionsOut = new PointerPointer<>(1);
    check(api.CreateSessionOptions(optionsOut));
    options = optionsOut.get(OrtSessionOptions.class, 0);
    PointerPointer<OrtTrainingSession> sessionOut = new PointerPointer<>(1);
    check(training.CreateTrainingSession(env, options, checkpoint,
        path(artifacts.resolve(OrtTrainingArtifacts.TRAINING_MODEL)),
        path(artifacts.resolve(OrtTrainingArtifacts.EVAL_MODEL)),
        path(artifacts.resolve(OrtTrainingArtifacts.OPTIMIZER_MODEL)), sessionOut));
    session = sessionOut.get(OrtTrainingSession.class, 0);
    PointerPointer<OrtRunOptions> runOut = new PointerPointer<>(1);
    check(api.CreateRunOptions(runOut));
    runOptions = runOut.get(OrtRunOptions.class, 0);
    PointerPointer<OrtMemoryInfo> cpuOut = new PointerPointer<>(1);
    check(api.CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, cpuOut));
    cpu = cpuOut.get(OrtMemoryInfo.class, 0);
    PointerPointer<OrtAllocator> allocatorOut = new PointerPointer<>(1);
    check(api.GetAllocatorWithDefaultOptions(allocatorOut));
    allocator = allocatorOut.get(OrtAllocator.class, 0);
    SizeTPointer count = new SizeTPointer(1);
    PointerPointer<BytePointer> name = new PointerPointer<>(1);
    check(training.TrainingSessionGetTrainingModelInputCount(session, count));
    for (long i = 0; i < count.get(); i++) {
      check(training.TrainingSessionGetTrainingModelInputName(session, i, allocator, name));
      inputNames.add(name.get(BytePointer.class, 0).getString());
    }
    check(training.TrainingSessionGetTrainingModelOutputCount(session, count));
    for (long i = 0; i < count.get(); i++) {
      check(training.TrainingSessionGetTrainingModelOutputName(session, i, allocator, name));
      outputNames.add(name.get(BytePointer.class, 0).getString());
    }
  }

  /** The user inputs ONNX Runtime asks TrainStep for, in its order. */
  List<String> inputNames() {
    return inputNames;
  }

  /** The user outputs TrainStep returns, in its order. */
  List<String> outputNames() {
    return outputNames;
  }

  void setLearningRate(float lr) {
    check(training.SetLearningRate(session, lr));
  }

  /** One TrainStep: forward, backward, gradient accumulation. Returns the outputs that are scalars, by name. */
  Map<String, Float> trainStep(Map<String, Object> feeds) {
    List<Pointer> keep = new ArrayList<>();
    PointerPointer<OrtValue> in = new PointerPointer<>(inputNames.size());
    try {
      for (int i = 0; i < inputNames.size(); i++) {
        in.put(i, tensor(feeds.get(inputNames.get(i)), keep));
      }
      PointerPointer<OrtValue> out = new PointerPointer<>(outputNames.size());
      for (int i = 0; i < outputNames.size(); i++) {
        out.put(i, (Pointer) null);
      }
      check(training.TrainStep(session, runOptions, inputNames.size(), in, outputNames.size(), out));
      Map<String, Float> scalars = new LinkedHashMap<>();
      for (int i = 0; i < outputNames.size(); i++) {
        OrtValue v = out.get(OrtValue.class, i);
        PointerPointer<Pointer> data = new PointerPointer<>(1);
        check(api.GetTensorMutableData(v, data));
        if (outputNames.get(i).equals("loss") || outputNames.get(i).equals("grad_norm")) {
          scalars.put(outputNames.get(i), new FloatPointer(data.get(0)).get());
        }
        api.ReleaseValue(v);
      }
      return scalars;
    } finally {
      for (int i = 0; i < inputNames.size(); i++) {
        OrtValue v = in.get(OrtValue.class, i);
        if (v != null && !v.isNull()) {
          api.ReleaseValue(v);
        }
      }
      keep.forEach(Pointer::close);
    }
  }

  void optimizerStep() {
    check(training.OptimizerStep(session, runOptions));
  }

  void lazyResetGrad() {
    check(training.LazyResetGrad(session));
  }

  /** Writes the eval model pruned to {@code outputs}, the trained parameters as initializers. */
  void exportForInference(Path file, String... outputs) {
    PointerPointer<BytePointer> names = new PointerPointer<>(outputs);
    check(training.ExportModelForInferencing(session, path(file), outputs.length, names));
  }

  private OrtValue tensor(Object data, List<Pointer> keep) {
    PointerPointer<OrtValue> out = new PointerPointer<>(1);
    if (data instanceof TrainingBatch.Padded p) { // ids: int64
      LongPointer values = new LongPointer(p.ids());
      LongPointer shape = new LongPointer(p.shape());
      keep.add(values);
      keep.add(shape);
      check(api.CreateTensorWithDataAsOrtValue(cpu, values, 8L * p.ids().length, shape, p.shape().length,
          ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64, out));
    } else if (data instanceof Floats f) {
      FloatPointer values = new FloatPointer(f.values());
      LongPointer shape = new LongPointer(f.shape());
      keep.add(values);
      keep.add(shape);
      check(api.CreateTensorWithDataAsOrtValue(cpu, values, 4L * f.values().length, shape, f.shape().length,
          ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, out));
    } else {
      throw new IllegalArgumentException("no feed of a supported type: " + data);
    }
    return out.get(OrtValue.class, 0);
  }

  private static BytePointer path(Path p) {
    return new BytePointer(p.toAbsolutePath().toString());
  }

  private void check(OrtStatus status) {
    if (status != null && !status.isNull()) {
      String message = api.GetErrorMessage().call(status).getString();
      api.ReleaseStatus(status);
      throw new IllegalStateException("ONNX Runtime training API: " + message);
    }
  }

  @Override
  public void close() {
    training.ReleaseTrainingSession(session);
    training.ReleaseCheckpointState(checkpoint);
    api.ReleaseRunOptions(runOptions);
    api.ReleaseSessionOptions(options);
    api.ReleaseMemoryInfo(cpu);
    api.ReleaseEnv(env);
  }
}
