package dev.hint4j.onnx.runtime;

import dev.hint4j.ModelManifest;
import dev.hint4j.spi.Backend;
import dev.hint4j.spi.BackendProvider;
import dev.hint4j.spi.ModelFiles;
import dev.hint4j.spi.RuntimeOptions;

/** Registers the ONNX Runtime backend with {@link java.util.ServiceLoader} under the name "onnxruntime". */
public final class OrtBackendProvider implements BackendProvider {
  @Override
  public String name() {
    return "onnxruntime";
  }

  @Override
  public Backend open(ModelFiles files, ModelManifest manifest, RuntimeOptions options) {
    return OrtBackend.open(files, manifest, options);
  }
}
