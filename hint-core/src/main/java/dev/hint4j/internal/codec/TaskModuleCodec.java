package dev.hint4j.internal.codec;

import com.google.common.hash.Hashing;
import dev.hint4j.Example;
import dev.hint4j.IncompatibleModuleException;
import dev.hint4j.Precision;
import dev.hint4j.TaskModule;
import dev.hint4j.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary form of a {@link TaskModule}, little-endian throughout:
 *
 * <table>
 *   <caption>format version 1</caption>
 *   <tr><th>field</th><th>encoding</th></tr>
 *   <tr><td>magic</td><td>8 bytes {@code "HINTMOD\0"}</td></tr>
 *   <tr><td>format version</td><td>u16 = 1</td></tr>
 *   <tr><td>precision</td><td>u8: 0 float32, 1 float16</td></tr>
 *   <tr><td>model fingerprint, kind, instruction</td><td>strings: u32 byte length + UTF-8</td></tr>
 *   <tr><td>examples</td><td>u32 count, then input and output strings</td></tr>
 *   <tr><td>tensors</td><td>u32 count, then per tensor: name string, u8 rank (≤ 8), rank × i64 dims, data (f32 or IEEE half)</td></tr>
 *   <tr><td>checksum</td><td>32 bytes: SHA-256 of everything before it</td></tr>
 * </table>
 *
 * Decoding verifies the checksum before parsing and bounds-checks every length against the bytes
 * that remain, so corrupt or hostile input fails with {@link IncompatibleModuleException}, never
 * with an allocation sized by an unchecked header.
 */
public final class TaskModuleCodec {
  static final byte[] MAGIC = "HINTMOD\0".getBytes(StandardCharsets.US_ASCII);
  public static final int FORMAT_VERSION = 1;
  private static final int CHECKSUM_BYTES = 32;
  private static final int MAX_RANK = 8;

  private TaskModuleCodec() {}

  public static byte[] encode(TaskModule module, Precision precision) {
    List<byte[]> strings = new ArrayList<>();
    long size = MAGIC.length + 2 + 1;
    size += str(strings, module.modelFingerprint()) + str(strings, module.kind().name()) + str(strings, module.instruction());
    size += 4;
    for (Example e : module.examples()) {
      size += str(strings, e.input()) + str(strings, e.output());
    }
    size += 4;
    int bytesPerValue = precision == Precision.FLOAT32 ? 4 : 2;
    for (Map.Entry<String, FloatTensor> t : module.tensors().entrySet()) {
      size += str(strings, t.getKey()) + 1 + 8L * t.getValue().rank() + (long) bytesPerValue * t.getValue().size();
    }
    size += CHECKSUM_BYTES;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("module too large to serialize: " + size + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putShort((short) FORMAT_VERSION).put((byte) precision.ordinal());
    int s = 0;
    putString(b, strings.get(s++));
    putString(b, strings.get(s++));
    putString(b, strings.get(s++));
    b.putInt(module.examples().size());
    for (int i = 0; i < module.examples().size(); i++) {
      putString(b, strings.get(s++));
      putString(b, strings.get(s++));
    }
    b.putInt(module.tensors().size());
    for (Map.Entry<String, FloatTensor> t : module.tensors().entrySet()) {
      putString(b, strings.get(s++));
      FloatTensor tensor = t.getValue();
      b.put((byte) tensor.rank());
      for (long d : tensor.shape()) {
        b.putLong(d);
      }
      for (int i = 0; i < tensor.size(); i++) {
        float v = tensor.get(i);
        if (precision == Precision.FLOAT32) {
          b.putFloat(v);
        } else {
          short h = Half.fromFloat(v);
          if (Float.isFinite(v) && Float.isInfinite(Half.toFloat(h))) {
            // A silent infinity would poison attention scores; the caller must choose float32.
            throw new IllegalArgumentException("tensor '" + t.getKey() + "' holds " + v
                + ", beyond float16's range (65504); encode this module with Precision.FLOAT32");
          }
          b.putShort(h);
        }
      }
    }
    b.put(Hashing.sha256().hashBytes(b.array(), 0, b.position()).asBytes());
    return b.array();
  }

  public static TaskModule decode(byte[] bytes) {
    if (bytes == null || bytes.length < MAGIC.length + 3 + CHECKSUM_BYTES) {
      throw corrupt("too short to be a TaskModule (" + (bytes == null ? 0 : bytes.length) + " bytes)");
    }
    if (!Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IncompatibleModuleException("not a hint4j TaskModule (wrong magic bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, bytes.length - CHECKSUM_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.position(MAGIC.length);
    int version = Short.toUnsignedInt(b.getShort());
    if (version != FORMAT_VERSION) {
      throw new IncompatibleModuleException("TaskModule format version " + version + " is not readable by this hint4j,"
          + " which reads version " + FORMAT_VERSION + "; compile the task again with this version");
    }
    byte[] expected = Hashing.sha256().hashBytes(bytes, 0, bytes.length - CHECKSUM_BYTES).asBytes();
    if (!Arrays.equals(expected, Arrays.copyOfRange(bytes, bytes.length - CHECKSUM_BYTES, bytes.length))) {
      throw corrupt("checksum mismatch");
    }
    int p = Byte.toUnsignedInt(b.get());
    if (p >= Precision.values().length) {
      throw corrupt("unknown precision " + p);
    }
    Precision precision = Precision.values()[p];
    String fingerprint = getString(b);
    String kindName = getString(b);
    TaskModule.Kind kind;
    try {
      kind = TaskModule.Kind.valueOf(kindName);
    } catch (IllegalArgumentException e) {
      throw corrupt("unknown module kind '" + kindName + "'");
    }
    String instruction = getString(b);
    int exampleCount = count(b, 8); // each example needs at least two 4-byte lengths
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < exampleCount; i++) {
      examples.add(new Example(getString(b), getString(b)));
    }
    int tensorCount = count(b, 5);
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    int bytesPerValue = precision == Precision.FLOAT32 ? 4 : 2;
    for (int i = 0; i < tensorCount; i++) {
      String name = getString(b);
      need(b, 1);
      int rank = Byte.toUnsignedInt(b.get());
      if (rank > MAX_RANK) {
        throw corrupt("tensor '" + name + "' has rank " + rank + " (at most " + MAX_RANK + ")");
      }
      need(b, 8L * rank);
      long[] shape = new long[rank];
      // The element count, checked once the whole shape is read: a later zero dimension makes it 0
      // whatever the dimensions before it say. The non-zero dimensions must multiply without
      // overflow too (elsewhere shapes are multiplied exactly, left to right).
      long nonZero = 1;
      boolean empty = false;
      for (int a = 0; a < rank; a++) {
        shape[a] = b.getLong();
        if (shape[a] < 0) {
          throw corrupt("tensor '" + name + "' has a negative dimension");
        }
        if (shape[a] == 0) {
          empty = true;
          continue;
        }
        long product = nonZero * shape[a];
        if (Math.multiplyHigh(nonZero, shape[a]) != 0 || product < 0) {
          throw corrupt("tensor '" + name + "' has a shape whose size overflows");
        }
        nonZero = product;
      }
      long n = empty ? 0 : nonZero;
      if (n > b.remaining()) {
        throw corrupt("tensor '" + name + "' claims more data than the module holds");
      }
      need(b, n * bytesPerValue);
      float[] data = new float[(int) n];
      for (int k = 0; k < n; k++) {
        data[k] = precision == Precision.FLOAT32 ? b.getFloat() : Half.toFloat(b.getShort());
      }
      if (tensors.put(name, FloatTensor.wrap(shape, data)) != null) {
        throw corrupt("tensor '" + name + "' appears twice");
      }
    }
    if (b.hasRemaining()) {
      throw corrupt(b.remaining() + " unexpected bytes after the last tensor");
    }
    return new TaskModule(fingerprint, kind, instruction, examples, tensors);
  }

  private static int str(List<byte[]> out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.add(bytes);
    return 4 + bytes.length;
  }

  private static void putString(ByteBuffer b, byte[] s) {
    b.putInt(s.length).put(s);
  }

  private static String getString(ByteBuffer b) {
    need(b, 4);
    int len = b.getInt();
    if (len < 0) {
      throw corrupt("negative string length");
    }
    need(b, len);
    byte[] s = new byte[len];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  /** A u32 count whose items take at least {@code minBytesEach}, checked against what remains. */
  private static int count(ByteBuffer b, int minBytesEach) {
    need(b, 4);
    long n = Integer.toUnsignedLong(b.getInt());
    if (n * minBytesEach > b.remaining()) {
      throw corrupt("a count of " + n + " items exceeds the remaining " + b.remaining() + " bytes");
    }
    return (int) n;
  }

  private static void need(ByteBuffer b, long n) {
    if (n > b.remaining()) {
      throw corrupt("needs " + n + " more bytes but only " + b.remaining() + " remain");
    }
  }

  private static IncompatibleModuleException corrupt(String why) {
    return new IncompatibleModuleException("TaskModule bytes are corrupt or truncated: " + why
        + "; recompile the task or fetch the module again");
  }
}
