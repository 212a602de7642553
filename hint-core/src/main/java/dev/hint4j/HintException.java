package dev.hint4j;

/**
 * Root of every exception hint4j throws. Unchecked: callers catch the subclass they can act on.
 * Native (ONNX Runtime) errors are chained as the cause, with their error code in the message.
 */
public class HintException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HintException(String message) {
    super(message);
  }

  public HintException(String message, Throwable cause) {
    super(message, cause);
  }
}
