package dev.hint4j;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of {@link ModelManifest#fromJson}: whatever the text, parsing either
 * returns a manifest or throws {@link ModelLoadException}; any other throwable is a finding.
 * A manifest that parses can be fingerprinted and written back to JSON that parses to an equal
 * manifest.
 *
 * <p>In a plain {@code mvn verify} this replays the seeds in {@code ModelManifestFuzzTestInputs}
 * only; see "Fuzzing" in the README for a real fuzzing run.
 */
class ModelManifestFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void fromJson(byte[] bytes) {
    String json = new String(bytes, StandardCharsets.UTF_8);
    ModelManifest m;
    try {
      m = ModelManifest.fromJson(json);
    } catch (ModelLoadException expected) {
      return;
    }
    m.fingerprint();
    ModelManifest back = ModelManifest.fromJson(m.toJson());
    if (!back.equals(m) || !back.fingerprint().equals(m.fingerprint())) {
      throw new AssertionError("JSON round trip changed the manifest: " + m + " -> " + back);
    }
  }
}
