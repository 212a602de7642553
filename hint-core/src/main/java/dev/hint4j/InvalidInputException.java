package dev.hint4j;

/** A caller passed an argument hint4j cannot use; the message says what to change. */
public class InvalidInputException extends HintException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }
}
