package dev.hint4j;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of {@link ModelManifest#fromJson}: whatever the text, parsing either
 * returns a manifest or throws {@link ModelLoadException}; any other throwable is a finding.
 * A manifest that parses can be fingerprinted and written back to JSON that parses to an equal
 * manifest.
 *
 * <p>The dictionary holds the manifest's keys and JSON's punctuation, so that mutations build
 * structurally valid manifests instead of spending most executions on the first syntax error.
 *
 * <p>In a plain {@code mvn verify} this replays the seeds in {@code ModelManifestFuzzTestInputs}
 * only; see "Fuzzing" in the README for a real fuzzing run.
 */
class ModelManifestFuzzTest {
  @FuzzTest(maxDuration = "30s")
  @DictionaryEntries({
        "\"formatVersion\"",
        "\"name\"",
        "\"description\"",
        "\"config\"",
        "\"vocabSize\"",
        "\"dModel\"",
        "\"numHeads\"",
        "\"headDim\"",
        "\"encoderLayers\"",
        "\"decoderLayers\"",
        "\"ffnDim\"",
        "\"relativeBuckets\"",
        "\"relativeMaxDistance\"",
        "\"adapterSize\"",
        "\"prefixLength\"",
        "\"layerNormEps\"",
        "\"maxInputLength\"",
        "\"maxInstructionLength\"",
        "\"maxTargetLength\"",
        "\"padId\"",
        "\"eosId\"",
        "\"unkId\"",
        "\"files\"",
        "\"file\"",
        "\"sha256\"",
        "\"moduleTensors\"",
        "\"dims\"",
        "\"paddedAxis\"",
        "\"encoder\"",
        "\"decoder\"",
        "\"hypernetwork\"",
        "\"tokenizer\"",
        "\"weights\"",
        "\"module_batch\"",
        "\"instruction_length\"",
        "{", "}", "[", "]", ":", ",", "null", "true", "false", "-1", "0", "1E400", "NaN", "1.5"
      })
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
