package dev.hint4j;

import dev.hint4j.spi.BackendProvider;
import java.util.ServiceLoader;

/** Finds the {@link BackendProvider} a model runs on among those registered on the classpath. */
final class BackendProviders {
  private BackendProviders() {}

  /**
   * The first provider named {@code name}, or the first of any name when {@code name} is null.
   *
   * @throws ModelLoadException when none matches, saying which dependency to add
   */
  static BackendProvider find(String name) {
    for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
      if (name == null || p.name().equals(name)) {
        return p;
      }
    }
    throw new ModelLoadException(name == null
        ? "no hint4j backend on the classpath: add the dependency dev.hint4j:hint-onnx"
        : "no hint4j backend named '" + name + "' on the classpath");
  }
}
