package dev.hint4j.tensor;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable dense float32 tensor in row-major order.
 *
 * <p>Thread-safe: the data array is never written after construction and never handed out
 * except through read-only views or copies.
 */
public final class FloatTensor {
  private final long[] shape;
  private final float[] data;

  private FloatTensor(long[] shape, float[] data) {
    this.shape = shape;
    this.data = data;
  }

  /** Copies {@code data}; its length must equal the product of {@code shape}. */
  public static FloatTensor of(long[] shape, float[] data) {
    return wrap(shape.clone(), data.clone());
  }

  /**
   * Takes ownership of {@code data} without copying: the caller must not modify it afterwards.
   * For producers (backends, codecs) that just allocated the array.
   */
  public static FloatTensor wrap(long[] shape, float[] data) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    long n = elementCount(shape);
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " holds " + n + " elements but data has " + data.length);
    }
    return new FloatTensor(shape.clone(), data);
  }

  public static FloatTensor zeros(long... shape) {
    return new FloatTensor(shape.clone(), new float[Math.toIntExact(elementCount(shape))]);
  }

  /** Product of the dimensions; throws on negative dimensions or overflow past int range. */
  public static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("tensor too large for a Java array: " + Arrays.toString(shape));
    }
    return n;
  }

  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int axis) {
    return shape[axis];
  }

  public int size() {
    return data.length;
  }

  public float get(int flatIndex) {
    return data[flatIndex];
  }

  /** A read-only view of the data, positioned at 0. */
  public FloatBuffer buffer() {
    return FloatBuffer.wrap(data).asReadOnlyBuffer();
  }

  public float[] toArray() {
    return data.clone();
  }

  /** Copies the data into {@code dst} starting at {@code offset}. */
  public void copyTo(float[] dst, int offset) {
    System.arraycopy(data, 0, dst, offset, data.length);
  }

  public long byteSize() {
    return 4L * data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
