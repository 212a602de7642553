package dev.hint4j.onnx.runtime;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.hash.Hashing;
import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintException;
import dev.hint4j.HintModel;
import dev.hint4j.onnx.testing.TinyModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing of model loading: a tiny model directory with one of its files changed
 * (the manifest's config numbers, its text, or bytes of a graph or the tokenizer, with the
 * manifest's sha-256 updated so the change gets past the checksum) is loaded and, if it loads,
 * asked one question. Loading either fails with a {@link HintException} (ModelLoadException for
 * bad files) or gives a model whose calls answer or throw a HintException; any other throwable,
 * from the manifest checks, the graph signature and shape checks or the decoding loops, is a
 * finding. ONNX Runtime's own protobuf parser sees the mutated graphs too: a native crash there
 * would end the JVM, and would be reported as such.
 *
 * <p>In a plain {@code mvn verify} this replays the seeds in {@code ModelLoadingFuzzTestInputs};
 * see "Fuzzing" in the README for a real fuzzing run.
 */
class ModelLoadingFuzzTest {
  private static final List<String> FILES = List.of("hint-model.json", "encoder.onnx", "decoder.onnx", "hypernetwork.onnx", "tokenizer.json");
  private static final List<String> FIELDS = List.of("vocabSize", "dModel", "numHeads", "headDim", "encoderLayers",
      "decoderLayers", "ffnDim", "relativeBuckets", "relativeMaxDistance", "adapterSize", "prefixLength",
      "maxInputLength", "maxInstructionLength", "maxTargetLength", "padId", "eosId", "unkId", "paddedAxis");
  private static final GenerationConfig SHORT = GenerationConfig.greedy(4);

  @FuzzTest(maxDuration = "30s")
  void load(FuzzedDataProvider data) throws IOException {
    Path dir = Files.createTempDirectory("hint4j-fuzz-model");
    try {
      for (String f : FILES) {
        Files.copy(TinyModel.dir().resolve(f), dir.resolve(f));
      }
      mutate(dir, data);
      HintModel model;
      try {
        model = HintModel.builder().modelDir(dir).build();
      } catch (HintException expected) {
        return;
      }
      try (model) {
        try (BoundTask task = model.bind(model.compile("Reverse the word."))) {
          task.generate("abc", SHORT);
          task.score("abc", "cba");
        } catch (HintException answeredWithATypedError) {
          // a graph that loads but cannot run, for example: typed, which is what is asked
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void mutate(Path dir, FuzzedDataProvider data) throws IOException {
    Path manifest = dir.resolve("hint-model.json");
    String json = Files.readString(manifest, StandardCharsets.UTF_8);
    switch (data.consumeInt(0, 2)) {
      case 0 -> { // one config number (or a module tensor's padded axis) set to any int
        String field = data.pickValue(FIELDS);
        Files.writeString(manifest, json.replaceFirst("\"" + field + "\":\\s*-?\\d+", "\"" + field + "\": " + data.consumeInt()));
      }
      case 1 -> { // a span of the manifest's text replaced
        int at = data.consumeInt(0, json.length());
        int len = data.consumeInt(0, Math.min(64, json.length() - at));
        Files.writeString(manifest, json.substring(0, at) + data.consumeString(64) + json.substring(at + len));
      }
      default -> { // bytes of one other file overwritten, and the manifest's sha-256 of it updated
        String file = FILES.get(data.consumeInt(1, FILES.size() - 1));
        Path p = dir.resolve(file);
        byte[] bytes = Files.readAllBytes(p);
        String before = sha256(bytes);
        int edits = data.consumeInt(1, 8);
        for (int i = 0; i < edits && data.remainingBytes() > 4; i++) {
          bytes[data.consumeInt(0, bytes.length - 1)] = data.consumeByte();
        }
        Files.write(p, bytes);
        Files.writeString(manifest, json.replace(before, sha256(bytes)));
      }
    }
  }

  private static String sha256(byte[] bytes) {
    return Hashing.sha256().hashBytes(bytes).toString();
  }

  static {
    // A load logs a line; per fuzzing input that would be most of the run's output and time.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    try {
      TinyModel.dir(); // exported once per JVM, before the first input
    } catch (UncheckedIOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
