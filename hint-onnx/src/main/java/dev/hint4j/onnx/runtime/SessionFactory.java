package dev.hint4j.onnx.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.hint4j.Device;
import dev.hint4j.ModelLoadException;
import dev.hint4j.ProviderUnavailableException;
import dev.hint4j.spi.ModelFiles;
import dev.hint4j.spi.RuntimeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session options from {@link RuntimeOptions}, with hint4j's device policy: CUDA either works
 * with every node on the GPU ({@code session.disable_cpu_ep_fallback}), or fails with a message
 * that says what to install, or (only when allowed) falls back to CPU with a warning. Shared by
 * inference ({@link OrtBackend}) and training ({@code Trainer}), so both run under the same device
 * policy and thread settings. Implementation, not API.
 */
public final class SessionFactory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

  static final String CUDA_HELP = "CUDA needs the artifact com.microsoft.onnxruntime:onnxruntime_gpu"
      + " (build with the Maven profile -Pcuda instead of the CPU artifact onnxruntime), CUDA 12.x"
      + " (libcudart.so.12, libcublas.so.12, libcublasLt.so.12, libcurand.so.10) and cuDNN 9 on the"
      + " library path, and an NVIDIA driver; or build the model with allowCpuFallback(true)";

  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;
  private final Device effectiveDevice;

  public SessionFactory(OrtEnvironment env, RuntimeOptions runtime) {
    this.env = env;
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    Device device = runtime.device();
    try {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      flushDenormals(so);
      if (runtime.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(runtime.intraOpThreads());
      }
      if (device.kind() == Device.Kind.CUDA) {
        try {
          so.addCUDA(device.index());
          so.addConfigEntry("session.disable_cpu_ep_fallback", "1");
        } catch (OrtException e) {
          if (!runtime.allowCpuFallback()) {
            so.close();
            throw new ProviderUnavailableException("cannot use " + device + ": " + e.getMessage() + ". " + CUDA_HELP, e);
          }
          LOG.warn("cannot use {} ({}); running on CPU because allowCpuFallback(true) was set", device, e.getMessage());
          so.close();
          so = new OrtSession.SessionOptions();
          so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
          flushDenormals(so);
          if (runtime.intraOpThreads() > 0) {
            so.setIntraOpNumThreads(runtime.intraOpThreads());
          }
          device = Device.cpu();
        }
      }
    } catch (OrtException e) {
      so.close();
      throw new ModelLoadException("cannot configure ONNX Runtime session options: " + e.getMessage(), e);
    }
    this.options = so;
    this.effectiveDevice = device;
  }

  /**
   * Flush-to-zero and denormals-are-zero in ONNX Runtime's kernels. A trained model's softmax
   * tails and small gradients fall below float's normal range (1.2e-38), and x86 multiplies such
   * denormals at a small fraction of normal speed: a train step on trained weights took 1.7–1.9×
   * as long as on fresh ones without this, the same with it. Values that small are zero to every
   * test tolerance here. ONNX Runtime also sets the mode on the thread that creates the first
   * session of the process (its note: "a main thread doesn't override changes from succeeding
   * session options").
   */
  private static void flushDenormals(OrtSession.SessionOptions so) throws OrtException {
    so.addConfigEntry("session.set_denormal_as_zero", "1");
  }

  public Device device() {
    return effectiveDevice;
  }

  /** A session over an in-memory graph (training graphs are built, not read from files). */
  public OrtSession open(byte[] model, String what) {
    try {
      return env.createSession(model, options);
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot load the " + what + " graph (" + e.getCode() + "): " + e.getMessage(), e);
    }
  }

  /** Loads one graph: from its path when the model is on disk (external data resolves there), else from bytes. */
  OrtSession open(ModelFiles files, String fileName) {
    try {
      if (files.directory().isPresent()) {
        files.read(fileName); // verifies the sha256 before ONNX Runtime parses it
        return env.createSession(files.directory().get().resolve(fileName).toString(), options);
      }
      return env.createSession(files.read(fileName), options);
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot load " + fileName + " (" + e.getCode() + "): " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    options.close();
  }

  /** Closes a session (null allowed); closing frees native memory, so an error there has nothing to recover. */
  public static void closeQuietly(OrtSession s) {
    if (s != null) {
      try {
        s.close();
      } catch (OrtException e) {
        // nothing to recover
      }
    }
  }
}
