package dev.hint4j;

/**
 * The small trained HINT model shipped with hint4j (d 128, 3+3 layers, 8.9 MB; see the README for
 * what it can and cannot do), as classpath resources of the jar
 * {@code dev.hint4j:hint-examples} with classifier {@code demo-model}, which holds nothing else.
 *
 * <pre>{@code
 * try (HintModel model = DemoModel.load()) { ... }
 * }</pre>
 */
public final class DemoModel {
  /** The classpath folder holding the demo model's files. */
  public static final String CLASSPATH_FOLDER = "dev/hint4j/models/demo";

  private DemoModel() {}

  /** A builder for the demo model (to set threads, device or length policy before {@code build()}). */
  public static HintModel.Builder builder() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = DemoModel.class.getClassLoader();
    }
    if (loader.getResource(CLASSPATH_FOLDER + "/" + ModelManifest.FILE_NAME) == null) {
      throw new ModelLoadException("the demo model is not on the classpath: add the dependency dev.hint4j:hint-examples"
          + " with <classifier>demo-model</classifier> (the jar that holds only " + CLASSPATH_FOLDER + ")");
    }
    return HintModel.builder().classpathModel(CLASSPATH_FOLDER);
  }

  /** Loads the demo model on the CPU. */
  public static HintModel load() {
    return builder().build();
  }
}
