package dev.hint4j.onnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.hint4j.InferenceException;
import dev.hint4j.internal.tensor.Stacking;
import dev.hint4j.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;

/** Creating ONNX Runtime tensors from Java data and back, with hint4j's exceptions. Implementation, not API. */
public final class Tensors {
  private Tensors() {}

  public static OnnxTensor floats(OrtEnvironment env, FloatBuffer data, long[] shape, int count) {
    FloatBuffer direct = ByteBuffer.allocateDirect(Math.max(4, count * 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    direct.put(data.duplicate().rewind().limit(count)).rewind().limit(count);
    try {
      return OnnxTensor.createTensor(env, direct, shape);
    } catch (OrtException e) {
      throw new InferenceException("cannot create a float tensor of shape " + java.util.Arrays.toString(shape), e);
    }
  }

  /** {@code t} copied into a direct buffer ONNX Runtime reads without another copy. */
  public static OnnxTensor floats(OrtEnvironment env, FloatTensor t) {
    return floats(env, t.buffer(), t.shape(), t.size());
  }

  public static OnnxTensor floats(OrtEnvironment env, float[] data, long[] shape) {
    return floats(env, FloatBuffer.wrap(data), shape, data.length);
  }

  public static OnnxTensor scalar(OrtEnvironment env, float v) {
    return floats(env, new float[] {v}, new long[0]);
  }

  /** A tensor and the pooled buffer under it, which goes back to the pool once the tensor is closed. */
  record Pooled(OnnxTensor tensor, ByteBuffer buffer) implements AutoCloseable {
    @Override
    public void close() {
      tensor.close();
      DirectBufferPool.SHARED.release(buffer);
    }
  }

  /** {@code t} copied into a pooled direct buffer (for module tensors bound per task). */
  static Pooled pooled(OrtEnvironment env, FloatTensor t) {
    int count = t.size();
    ByteBuffer bytes = DirectBufferPool.SHARED.acquire(Math.max(4, count * 4));
    FloatBuffer direct = bytes.asFloatBuffer().put(t.buffer()).rewind().limit(count);
    try {
      return new Pooled(OnnxTensor.createTensor(env, direct, t.shape()), bytes);
    } catch (OrtException e) {
      DirectBufferPool.SHARED.release(bytes);
      throw new InferenceException("cannot create a float tensor of shape " + java.util.Arrays.toString(t.shape()), e);
    }
  }

  /** Per-row module tensors stacked (and zero-padded) straight into a pooled direct buffer: one copy per row. */
  static Pooled stacked(OrtEnvironment env, List<FloatTensor> rows, int paddedAxis) {
    long[] shape = Stacking.stackedShape(rows, paddedAxis);
    int count = Math.toIntExact(FloatTensor.elementCount(shape));
    ByteBuffer bytes = DirectBufferPool.SHARED.acquire(Math.max(4, count * 4));
    FloatBuffer direct = bytes.asFloatBuffer().limit(count);
    Stacking.stackInto(rows, shape, direct);
    try {
      return new Pooled(OnnxTensor.createTensor(env, direct, shape), bytes);
    } catch (OrtException e) {
      DirectBufferPool.SHARED.release(bytes);
      throw new InferenceException("cannot create a float tensor of shape " + java.util.Arrays.toString(shape), e);
    }
  }

  public static OnnxTensor longs(OrtEnvironment env, long[] data, long[] shape) {
    LongBuffer direct = ByteBuffer.allocateDirect(Math.max(8, data.length * 8)).order(ByteOrder.nativeOrder()).asLongBuffer();
    direct.put(data).rewind().limit(data.length);
    try {
      return OnnxTensor.createTensor(env, direct, shape);
    } catch (OrtException e) {
      throw new InferenceException("cannot create an int64 tensor of shape " + java.util.Arrays.toString(shape), e);
    }
  }

  public static FloatTensor toFloatTensor(OnnxTensor t) {
    return FloatTensor.wrap(t.getInfo().getShape(), toArray(t));
  }

  /**
   * The tensor's values in a Java array. {@code getFloatBuffer} already copies native memory into
   * a fresh heap buffer; its array is taken as it is instead of being copied a second time.
   */
  public static float[] toArray(OnnxTensor t) {
    FloatBuffer b = t.getFloatBuffer();
    if (b.hasArray() && b.arrayOffset() == 0 && b.position() == 0 && b.array().length == b.remaining()) {
      return b.array();
    }
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }
}
