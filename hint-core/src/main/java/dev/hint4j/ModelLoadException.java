package dev.hint4j;

/** A model directory or resource is missing, corrupt, or does not match its manifest. */
public class ModelLoadException extends HintException {
  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
