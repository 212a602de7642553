package dev.hint4j;

/**
 * Where graphs run. {@link #cpu()} works everywhere; {@link #cuda(int)} needs the
 * {@code onnxruntime_gpu} artifact (Maven profile {@code cuda}), CUDA 12 and cuDNN 9.
 */
public record Device(Kind kind, int index) {
  public enum Kind { CPU, CUDA }

  public Device {
    if (index < 0) {
      throw new IllegalArgumentException("device index must be >= 0, got " + index);
    }
  }

  public static Device cpu() {
    return new Device(Kind.CPU, 0);
  }

  public static Device cuda(int index) {
    return new Device(Kind.CUDA, index);
  }

  @Override
  public String toString() {
    return kind == Kind.CPU ? "cpu" : "cuda:" + index;
  }
}
