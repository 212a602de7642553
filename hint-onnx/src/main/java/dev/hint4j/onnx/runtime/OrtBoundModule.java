package dev.hint4j.onnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import dev.hint4j.TaskModule;
import dev.hint4j.spi.BoundModule;
import dev.hint4j.tensor.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A module's tensors as ONNX Runtime tensors over direct buffers, created once and fed to every
 * run. The buffers come from {@link DirectBufferPool} and go back to it on close, so binding per
 * request (a service, a Spark partition) does not allocate fresh native memory each time.
 */
final class OrtBoundModule implements BoundModule {
  private final TaskModule module;
  private final Map<String, Tensors.Pooled> tensors = new LinkedHashMap<>();
  private volatile boolean closed;

  OrtBoundModule(OrtEnvironment env, TaskModule module) {
    this.module = module;
    try {
      for (Map.Entry<String, FloatTensor> e : module.tensors().entrySet()) {
        tensors.put(e.getKey(), Tensors.pooled(env, e.getValue()));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public TaskModule module() {
    return module;
  }

  OnnxTensor tensor(String name) {
    if (closed) {
      throw new IllegalStateException("bound module is closed");
    }
    Tensors.Pooled t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("module lacks tensor '" + name + "'");
    }
    return t.tensor();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    tensors.values().forEach(Tensors.Pooled::close); // no run uses them any more: BoundTask.close waits for calls in flight
  }
}
