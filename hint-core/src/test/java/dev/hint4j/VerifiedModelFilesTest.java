package dev.hint4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.Hashing;
import dev.hint4j.spi.ModelFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a backend reads of a model: only files the manifest names, each with the hash it names, at load and at every read. */
class VerifiedModelFilesTest {
  /** Files in memory, changeable after verification as a file on disk could be. */
  static final class InMemory implements ModelFiles {
    final Map<String, byte[]> files = new HashMap<>();

    @Override public Optional<Path> directory() { return Optional.empty(); }

    @Override
    public byte[] read(String fileName) {
      byte[] b = files.get(fileName);
      if (b == null) {
        throw new ModelLoadException("no file " + fileName);
      }
      return b.clone();
    }
  }

  static final List<String> NAMES = List.of("hypernetwork.onnx", "encoder.onnx", "decoder.onnx", "tokenizer.json");

  static InMemory files() {
    InMemory m = new InMemory();
    for (String n : NAMES) {
      m.files.put(n, ("contents of " + n).getBytes(StandardCharsets.UTF_8));
    }
    return m;
  }

  static ModelManifest manifestOf(InMemory m) {
    Map<String, ModelManifest.FileEntry> entries = new HashMap<>();
    for (String n : NAMES) {
      entries.put(n.substring(0, n.indexOf('.')), new ModelManifest.FileEntry(n, Hashing.sha256().hashBytes(m.files.get(n)).toString()));
    }
    return new ModelManifest(1, "m", "d", HintConfig.tiny(50), entries,
        List.of(new ModelManifest.ModuleTensorSpec("prefix_mask", List.of("module_batch", 3), -1)));
  }

  @Test
  void readsListedFilesThatMatchTheirHash() {
    InMemory m = files();
    ModelFiles verified = VerifiedModelFiles.verify(m, manifestOf(m));
    assertThat(new String(verified.read("encoder.onnx"), StandardCharsets.UTF_8)).isEqualTo("contents of encoder.onnx");
  }

  @Test
  void refusesAtLoadAFileWhoseBytesDoNotMatch() {
    InMemory m = files();
    ModelManifest manifest = manifestOf(m);
    m.files.put("decoder.onnx", "tampered".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> VerifiedModelFiles.verify(m, manifest)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("decoder.onnx").hasMessageContaining("sha256");
  }

  @Test
  void refusesAReadOfAFileChangedSinceVerification() {
    InMemory m = files();
    ModelFiles verified = VerifiedModelFiles.verify(m, manifestOf(m));
    m.files.put("tokenizer.json", "swapped after the check".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> verified.read("tokenizer.json")).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("tokenizer.json").hasMessageContaining("does not match its sha256");
  }

  @Test
  void refusesFilesTheManifestDoesNotName() {
    InMemory m = files();
    m.files.put("other.bin", new byte[] {1, 2, 3});
    ModelFiles verified = VerifiedModelFiles.verify(m, manifestOf(m));
    assertThatThrownBy(() -> verified.read("other.bin")).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'other.bin' is not listed in " + ModelManifest.FILE_NAME);
  }
}
