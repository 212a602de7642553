package dev.hint4j.spi;

import dev.hint4j.ModelManifest;

/**
 * Finds a backend through {@link java.util.ServiceLoader}: an implementation lists itself in
 * {@code META-INF/services/dev.hint4j.spi.BackendProvider}. hint-onnx provides "onnxruntime".
 */
public interface BackendProvider {
  String name();

  /** Opens the model's graphs. Files were verified against the manifest's hashes already. */
  Backend open(ModelFiles files, ModelManifest manifest, RuntimeOptions options);
}
