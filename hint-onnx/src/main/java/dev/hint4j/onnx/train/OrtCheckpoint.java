package dev.hint4j.onnx.train;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.hint4j.InvalidInputException;
import dev.hint4j.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * ONNX Runtime's on-device training checkpoint: a flatbuffer (file identifier {@code ODTC},
 * schema {@code ort_training_checkpoint.fbs}, version 2) holding the trainable and frozen
 * parameters, one optimizer group with AdamW's two moments per trainable parameter, and a
 * property bag. Written with hand-placed fields (slot numbers below follow the schema), so no
 * generated code or {@code flatc} is needed.
 */
final class OrtCheckpoint {
  /** The only version ONNX Runtime 1.24 loads from a file it did not write itself. */
  static final int VERSION = 2;
  static final String FILE_IDENTIFIER = "ODTC";
  /** ONNX Runtime keeps every parameter in one optimizer group with this name. */
  static final String GROUP = "group0";
  /** AdamW's first and second moments, in ONNX Runtime's naming. */
  static final List<String> MOMENTS = List.of("momentum0", "momentum1");
  private static final int FLOAT = 1; // onnxruntime.fbs.TensorDataType.FLOAT

  private OrtCheckpoint() {}

  /**
   * @param trainable parameters that learn (AdamW starts each at zero moments, step 0)
   * @param frozen parameters fed unchanged
   * @param learningRate stored as the group's initial rate (ONNX Runtime does not apply it on load)
   */
  static byte[] toBytes(Map<String, FloatTensor> trainable, Map<String, FloatTensor> frozen,
      float learningRate, Map<String, Long> ints, Map<String, String> strings) {
    long bytes = 0;
    for (FloatTensor t : trainable.values()) {
      bytes += 3 * t.byteSize(); // the parameter and its two moments
    }
    for (FloatTensor t : frozen.values()) {
      bytes += t.byteSize();
    }
    if (bytes > Integer.MAX_VALUE - (1 << 20)) {
      throw new InvalidInputException("the parameters and optimizer state take " + bytes
          + " bytes; a flatbuffer checkpoint holds at most 2 GiB. Train fewer parameters in one export.");
    }
    FlatBufferBuilder b = new FlatBufferBuilder((int) bytes + 4096);
    int moduleState = moduleState(b, sorted(trainable), sorted(frozen));
    int group = optimizerGroup(b, sorted(trainable), learningRate);
    int groups = b.createVectorOfTables(new int[] {group});
    int bag = propertyBag(b, ints, strings);
    b.startTable(4);
    b.addInt(0, VERSION, 0); // version
    b.addOffset(1, moduleState, 0); // module_state
    b.addOffset(2, groups, 0); // optimizer_groups
    b.addOffset(3, bag, 0); // property_bag
    b.finish(b.endTable(), FILE_IDENTIFIER);
    return b.sizedByteArray();
  }

  private static SortedMap<String, FloatTensor> sorted(Map<String, FloatTensor> m) {
    return new TreeMap<>(m); // ONNX Runtime writes tensors sorted by name; do the same
  }

  private static int moduleState(FlatBufferBuilder b, Map<String, FloatTensor> trainable, Map<String, FloatTensor> frozen) {
    int requiresGrad = tensors(b, trainable);
    int frozenParams = tensors(b, frozen); // must be present even when empty
    b.startTable(4);
    b.addOffset(0, requiresGrad, 0); // requires_grad_params
    b.addOffset(1, frozenParams, 0); // frozen_params
    // is_nominal_state (slot 2) and has_external_data (slot 3) stay false: the data is inline
    return b.endTable();
  }

  private static int optimizerGroup(FlatBufferBuilder b, Map<String, FloatTensor> trainable, float learningRate) {
    List<Integer> states = new ArrayList<>();
    for (Map.Entry<String, FloatTensor> e : trainable.entrySet()) {
      String name = e.getKey();
      FloatTensor zeros = FloatTensor.zeros(e.getValue().shape());
      int m0 = tensor(b, MOMENTS.get(0), zeros);
      int m1 = tensor(b, MOMENTS.get(1), zeros);
      int momentums = b.createVectorOfTables(new int[] {m0, m1});
      int paramName = b.createString(name);
      b.startTable(2);
      b.addOffset(0, paramName, 0); // param_name
      b.addOffset(1, momentums, 0); // momentums
      states.add(b.endTable());
    }
    int stateVector = b.createVectorOfTables(states.stream().mapToInt(Integer::intValue).toArray());
    int groupName = b.createString(GROUP);
    b.startTable(4);
    b.addOffset(0, groupName, 0); // group_name
    // step (slot 1) stays 0: no optimizer step taken yet
    b.addFloat(2, learningRate, 0); // initial_learning_rate
    b.addOffset(3, stateVector, 0); // optimizer_states
    return b.endTable();
  }

  private static int propertyBag(FlatBufferBuilder b, Map<String, Long> ints, Map<String, String> strings) {
    int[] intProps = new int[ints.size()];
    int i = 0;
    for (Map.Entry<String, Long> e : new TreeMap<>(ints).entrySet()) {
      int name = b.createString(e.getKey());
      b.startTable(2);
      b.addOffset(0, name, 0);
      b.addLong(1, e.getValue(), 0);
      intProps[i++] = b.endTable();
    }
    int[] stringProps = new int[strings.size()];
    i = 0;
    for (Map.Entry<String, String> e : new TreeMap<>(strings).entrySet()) {
      int name = b.createString(e.getKey());
      int value = b.createString(e.getValue());
      b.startTable(2);
      b.addOffset(0, name, 0);
      b.addOffset(1, value, 0);
      stringProps[i++] = b.endTable();
    }
    int intVector = b.createVectorOfTables(intProps);
    int floatVector = b.createVectorOfTables(new int[0]);
    int stringVector = b.createVectorOfTables(stringProps);
    b.startTable(3);
    b.addOffset(0, intVector, 0); // ints
    b.addOffset(1, floatVector, 0); // floats
    b.addOffset(2, stringVector, 0); // strings
    return b.endTable();
  }

  private static int tensors(FlatBufferBuilder b, Map<String, FloatTensor> named) {
    int[] offsets = new int[named.size()];
    int i = 0;
    for (Map.Entry<String, FloatTensor> e : named.entrySet()) {
      offsets[i++] = tensor(b, e.getKey(), e.getValue());
    }
    return b.createVectorOfTables(offsets);
  }

  /** An {@code onnxruntime.fbs.Tensor}: float32, little-endian raw data inline. */
  private static int tensor(FlatBufferBuilder b, String name, FloatTensor t) {
    ByteBuffer raw = ByteBuffer.allocate(t.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(t.buffer());
    int data = b.createByteVector(raw.array());
    long[] shape = t.shape();
    b.startVector(8, shape.length, 8);
    for (int k = shape.length - 1; k >= 0; k--) { // flatbuffers vectors are built back to front
      b.addLong(shape[k]);
    }
    int dims = b.endVector();
    int tensorName = b.createString(name);
    b.startTable(7);
    b.addOffset(0, tensorName, 0); // name
    b.addOffset(2, dims, 0); // dims
    b.addInt(3, FLOAT, 0); // data_type
    b.addOffset(4, data, 0); // raw_data
    // doc_string (1), string_data (5) unused; external_data_offset (6) keeps its default −1: inline data
    return b.endTable();
  }
}
