package dev.hint4j;

import dev.hint4j.spi.ModelFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Where a model's files are read from: a directory or a classpath folder. */
final class ModelSource {
  private ModelSource() {}

  static ModelFiles directory(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new ModelLoadException("model directory " + root + " does not exist or is not a directory");
    }
    return new ModelFiles() {
      @Override
      public Optional<Path> directory() {
        return Optional.of(root);
      }

      @Override
      public byte[] read(String fileName) {
        try (InputStream in = open(fileName)) {
          return in.readAllBytes();
        } catch (IOException e) {
          throw new ModelLoadException("cannot read " + root.resolve(fileName) + ": " + e.getMessage(), e);
        }
      }

      @Override
      public InputStream open(String fileName) {
        ModelManifest.checkPlainFileName(fileName);
        Path p = root.resolve(fileName).normalize();
        if (!p.getParent().equals(root)) {
          throw new ModelLoadException("model file '" + fileName + "' escapes the model directory");
        }
        try {
          return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
          throw new ModelLoadException("model directory " + root + " lacks " + fileName
              + "; re-export the model or point modelDir at a complete model", e);
        } catch (IOException e) {
          throw new ModelLoadException("cannot read " + p + ": " + e.getMessage(), e);
        }
      }

      @Override
      public String toString() {
        return root.toString();
      }
    };
  }

  static ModelFiles classpath(String folder, ClassLoader loader) {
    String prefix = folder.replaceAll("^/+", "").replaceAll("/+$", "") + "/";
    return new ModelFiles() {
      @Override
      public Optional<Path> directory() {
        return Optional.empty();
      }

      @Override
      public byte[] read(String fileName) {
        try (InputStream in = open(fileName)) {
          return in.readAllBytes();
        } catch (IOException e) {
          throw new ModelLoadException("cannot read classpath resource " + prefix + fileName, e);
        }
      }

      @Override
      public InputStream open(String fileName) {
        ModelManifest.checkPlainFileName(fileName);
        InputStream in = loader.getResourceAsStream(prefix + fileName);
        if (in == null) {
          throw new ModelLoadException("classpath resource " + prefix + fileName
              + " not found; is the model's jar on the classpath?");
        }
        return in;
      }

      @Override
      public String toString() {
        return "classpath:" + prefix;
      }
    };
  }
}
