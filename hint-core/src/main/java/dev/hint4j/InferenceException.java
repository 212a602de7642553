package dev.hint4j;

/** The backend failed while running a graph; the cause holds the native error. */
public class InferenceException extends HintException {
  private static final long serialVersionUID = 1L;

  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
