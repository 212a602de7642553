package dev.hint4j.codec;

import dev.hint4j.TaskModule;

/** Binary form of a {@link TaskModule}. Being written; see the format in the class javadoc once done. */
public final class TaskModuleCodec {
  /** How tensor data is stored. */
  public enum Precision { FLOAT32, FLOAT16 }

  private TaskModuleCodec() {}

  public static byte[] encode(TaskModule module, Precision precision) {
    throw new UnsupportedOperationException("codec not written yet");
  }

  public static TaskModule decode(byte[] bytes) {
    throw new UnsupportedOperationException("codec not written yet");
  }
}
