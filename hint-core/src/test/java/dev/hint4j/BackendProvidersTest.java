package dev.hint4j;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** hint-core alone has no backend: the message says which dependency brings one. */
class BackendProvidersTest {
  @Test
  void noBackendOnTheClasspathNamesTheDependencyToAdd() {
    assertThatThrownBy(() -> BackendProviders.find(null)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("dev.hint4j:hint-onnx");
    assertThatThrownBy(() -> BackendProviders.find("cuda-x")).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("no hint4j backend named 'cuda-x'");
  }
}
