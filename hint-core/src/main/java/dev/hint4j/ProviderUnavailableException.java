package dev.hint4j;

/** The requested execution device (for example CUDA) cannot be used by this build or machine. */
public class ProviderUnavailableException extends HintException {
  private static final long serialVersionUID = 1L;

  public ProviderUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
