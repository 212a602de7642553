package dev.hint4j;

/** A {@link TaskModule} was made by a different model, or its bytes are corrupt or of an unknown version. */
public class IncompatibleModuleException extends HintException {
  private static final long serialVersionUID = 1L;

  public IncompatibleModuleException(String message) {
    super(message);
  }
}
