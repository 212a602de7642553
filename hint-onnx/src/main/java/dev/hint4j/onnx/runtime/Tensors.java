package dev.hint4j.onnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.hint4j.InferenceException;
import dev.hint4j.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/** Creating ONNX Runtime tensors from Java data and back, with hint4j's exceptions. */
final class Tensors {
  private Tensors() {}

  /** A tensor over a direct buffer: ONNX Runtime reads it in place, no copy per run. */
  static OnnxTensor floats(OrtEnvironment env, FloatTensor t) {
    return floats(env, t.buffer(), t.shape(), t.size());
  }

  static OnnxTensor floats(OrtEnvironment env, FloatBuffer data, long[] shape, int count) {
    FloatBuffer direct = ByteBuffer.allocateDirect(Math.max(4, count * 4)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    direct.put(data.duplicate().rewind().limit(count)).rewind().limit(count);
    try {
      return OnnxTensor.createTensor(env, direct, shape);
    } catch (OrtException e) {
      throw new InferenceException("cannot create a float tensor of shape " + java.util.Arrays.toString(shape), e);
    }
  }

  static OnnxTensor longs(OrtEnvironment env, long[] data, long[] shape) {
    LongBuffer direct = ByteBuffer.allocateDirect(Math.max(8, data.length * 8)).order(ByteOrder.nativeOrder()).asLongBuffer();
    direct.put(data).rewind().limit(data.length);
    try {
      return OnnxTensor.createTensor(env, direct, shape);
    } catch (OrtException e) {
      throw new InferenceException("cannot create an int64 tensor of shape " + java.util.Arrays.toString(shape), e);
    }
  }

  static FloatTensor toFloatTensor(OnnxTensor t) {
    FloatBuffer b = t.getFloatBuffer();
    float[] a = new float[b.remaining()];
    b.get(a);
    return FloatTensor.wrap(t.getInfo().getShape(), a);
  }

  static float[] toArray(OnnxTensor t) {
    FloatBuffer b = t.getFloatBuffer();
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }
}
