package dev.hint4j.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.ModelLoadException;
import dev.hint4j.tensor.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
  @Test
  void roundTripsTensorsAndMetadata(@TempDir Path dir) {
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    t.put("a.weight", FloatTensor.of(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
    t.put("b", FloatTensor.of(new long[0], new float[] {-7.5f}));
    SafeTensors.write(dir.resolve("x.safetensors"), t, Map.of("step", "12"));
    SafeTensors.Contents c = SafeTensors.read(dir.resolve("x.safetensors"));
    assertThat(c.tensors()).isEqualTo(t);
    assertThat(c.metadata()).containsEntry("step", "12");
  }

  /** A file written by hand the way other tools write it: F16 and BF16 data decode to the right floats. */
  @Test
  void readsHalfAndBfloat16() {
    String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]}}";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + json.length + 6).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(json.length).put(json);
    buf.putShort((short) 0x3C00).putShort((short) 0xC000); // 1.0, -2.0 in half
    buf.putShort((short) 0x4049);                           // bf16 of 3.140625
    SafeTensors.Contents c = SafeTensors.parse(buf.flip(), "test");
    assertThat(c.tensors().get("h").toArray()).containsExactly(1f, -2f);
    assertThat(c.tensors().get("b").toArray()).containsExactly(3.140625f);
  }

  /**
   * Written in F16 and BF16, values come back as the nearest representable ones: exact for
   * values both formats hold; otherwise within half a unit in the last place (2^-11 relative for
   * half's 10-bit mantissa, 2^-8 for bfloat16's 7 bits). Ties go to even: 1 + 2^-8 is halfway
   * between bfloat16 neighbours 1 and 1 + 2^-7 and rounds down to 1.
   */
  @Test
  void writesHalfAndBfloat16RoundedToNearest() {
    float[] v = {1f, -2f, 0.5f, 3.140625f, 1f + 0x1p-8f, 1f + 0x1p-8f + 0x1p-10f, 1e-3f, 65504f};
    java.util.Map<String, FloatTensor> t = java.util.Map.of("x", FloatTensor.of(new long[] {v.length}, v));
    for (SafeTensors.Dtype dtype : SafeTensors.Dtype.values()) {
      float[] back = SafeTensors.parse(ByteBuffer.wrap(SafeTensors.toBytes(t, java.util.Map.of(), dtype))
          .order(ByteOrder.LITTLE_ENDIAN), "test").tensors().get("x").toArray();
      double ulpHalf = switch (dtype) {
        case F32 -> 0;
        case F16 -> 0x1p-11;
        case BF16 -> 0x1p-8;
      };
      for (int i = 0; i < v.length; i++) {
        assertThat((double) back[i]).as("%s of %s", dtype, v[i]).isCloseTo(v[i], org.assertj.core.data.Offset.offset(Math.abs(v[i]) * ulpHalf));
      }
      assertThat(back[0]).isEqualTo(1f);
      assertThat(back[3]).isEqualTo(3.140625f); // representable in all three
    }
    float[] bf = SafeTensors.parse(ByteBuffer.wrap(SafeTensors.toBytes(t, java.util.Map.of(), SafeTensors.Dtype.BF16))
        .order(ByteOrder.LITTLE_ENDIAN), "test").tensors().get("x").toArray();
    assertThat(bf[4]).isEqualTo(1f);                    // tie → even
    assertThat(bf[5]).isEqualTo(1f + 0x1p-7f);          // above the tie → up
  }

  @Test
  void hostileHeadersAreRejectedBeforeAllocating(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> parse("{\"x\":{\"dtype\":\"F32\",\"shape\":[1000000000,1000000000],\"data_offsets\":[0,4]}}", 4))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("larger than the file");
    assertThatThrownBy(() -> parse("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("data_offsets");
    assertThatThrownBy(() -> parse("{\"x\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("dtype");
    assertThatThrownBy(() -> parse("not json", 0)).isInstanceOf(ModelLoadException.class);
    Path f = dir.resolve("huge-header");
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).putLong(0);
    Files.write(f, b.array());
    assertThatThrownBy(() -> SafeTensors.read(f)).isInstanceOf(ModelLoadException.class).hasMessageContaining("header length");
  }

  private static SafeTensors.Contents parse(String header, int dataBytes) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(json.length).put(json);
    return SafeTensors.parse(buf.position(buf.capacity()).flip(), "test");
  }

  @Test
  void parsesFromTheBufferPosition() {
    byte[] file = SafeTensors.toBytes(Map.of("w", FloatTensor.wrap(new long[] {2}, new float[] {1.5f, -2f})), Map.of());
    java.nio.ByteBuffer shifted = java.nio.ByteBuffer.allocate(file.length + 3);
    shifted.put(new byte[] {9, 9, 9}).put(file).position(3);
    assertThat(SafeTensors.parse(shifted, "shifted").tensors().get("w").toArray()).containsExactly(1.5f, -2f);
  }
}
