package dev.hint4j.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.Example;
import dev.hint4j.IncompatibleModuleException;
import dev.hint4j.Precision;
import dev.hint4j.TaskModule;
import dev.hint4j.tensor.FloatTensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TaskModuleCodecTest {
  static final String FP = "ab".repeat(32);

  static TaskModule module(int size) {
    SplittableRandom r = new SplittableRandom(5);
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    float[] a = new float[size];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (r.nextDouble() * 4 - 2);
    }
    t.put("enc.0.adapter_down", FloatTensor.of(new long[] {1, 2, size / 2}, a));
    t.put("prefix_mask", FloatTensor.of(new long[] {1, 3}, new float[] {1, 1, 1}));
    return new TaskModule(FP, TaskModule.Kind.HINT, "Reverse the wörd.", List.of(Example.of("ab", "ba")), t);
  }

  @Test
  void float32RoundTripIsExact() {
    TaskModule m = module(64);
    TaskModule back = TaskModule.fromBytes(m.toBytes(), FP);
    assertThat(back).isEqualTo(m);
    assertThat(back.tensors()).isEqualTo(m.tensors());
    assertThat(back.id()).isEqualTo(m.id());
    assertThat(back.instruction()).isEqualTo("Reverse the wörd.");
    assertThat(back.examples()).containsExactly(Example.of("ab", "ba"));
  }

  @Test
  void float16HalvesTheSizeWithinHalfPrecision() {
    TaskModule m = module(1000);
    byte[] f32 = m.toBytes();
    byte[] f16 = m.toBytes(Precision.FLOAT16);
    assertThat((double) f16.length).isLessThan(f32.length * 0.55);
    FloatTensor a = m.tensor("enc.0.adapter_down");
    TaskModule half = TaskModule.fromBytes(f16, FP);
    assertThat(half).as("precision is not part of identity").isEqualTo(m).hasSameHashCodeAs(m);
    assertThat(half.id()).isEqualTo(m.id());
    FloatTensor b = half.tensor("enc.0.adapter_down");
    for (int i = 0; i < a.size(); i++) {
      // Half has 10 fraction bits: round-to-nearest is off by at most 2^-11 relative for normal values.
      assertThat((double) b.get(i)).isCloseTo(a.get(i), org.assertj.core.data.Offset.offset(Math.abs(a.get(i)) * 0x1p-11 + 1e-7));
    }
  }

  @Test
  void float16RefusesValuesItCannotHold() {
    TaskModule big = new TaskModule(FP, TaskModule.Kind.HINT, "x", List.of(),
        Map.of("w", FloatTensor.of(new long[] {1, 2}, new float[] {1f, 70000f})));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> big.toBytes(Precision.FLOAT16))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FLOAT32");
    assertThat(TaskModule.fromBytes(big.toBytes(), FP)).isEqualTo(big);
  }

  @Test
  void halfConversionMatchesKnownBitPatterns() {
    assertThat(Half.fromFloat(1.0f)).isEqualTo((short) 0x3C00);
    assertThat(Half.fromFloat(-2.0f)).isEqualTo((short) 0xC000);
    assertThat(Half.fromFloat(65504f)).isEqualTo((short) 0x7BFF);
    assertThat(Half.fromFloat(65520f)).isEqualTo((short) 0x7C00); // rounds up to infinity
    assertThat(Half.fromFloat(6.1035156e-5f)).isEqualTo((short) 0x0400); // smallest normal
    assertThat(Half.fromFloat(5.9604645e-8f)).isEqualTo((short) 0x0001); // smallest subnormal
    assertThat(Half.fromFloat(1e-8f)).isEqualTo((short) 0);
    assertThat(Half.fromFloat(1.0009766f)).isEqualTo((short) 0x3C01); // 1 + 2^-10
    assertThat(Half.fromFloat(1.00048828125f)).isEqualTo((short) 0x3C00); // tie 1 + 2^-11 → even
    assertThat(Half.fromFloat(1.00146484375f)).isEqualTo((short) 0x3C02); // tie 1 + 3·2^-11 → even
    assertThat(Half.toFloat((short) 0x0001)).isEqualTo(5.9604645e-8f);
    assertThat(Half.toFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN)))).isTrue();
    for (int h = 0; h < 0x7C00; h++) { // every finite half survives float and back
      assertThat(Half.fromFloat(Half.toFloat((short) h))).isEqualTo((short) h);
    }
  }

  @Test
  void everyTruncationAndEveryBitFlipIsRejectedCleanly() {
    byte[] bytes = module(8).toBytes();
    for (int len = 0; len < bytes.length; len++) {
      byte[] cut = Arrays.copyOf(bytes, len);
      assertThatThrownBy(() -> TaskModule.fromBytes(cut, FP)).isInstanceOf(IncompatibleModuleException.class);
    }
    for (int i = 0; i < bytes.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] flipped = bytes.clone();
        flipped[i] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> TaskModule.fromBytes(flipped, FP)).isInstanceOf(IncompatibleModuleException.class);
      }
    }
  }

  @Test
  void wrongMagicVersionOrModelAreNamed() {
    byte[] bytes = module(8).toBytes();
    byte[] magic = bytes.clone();
    magic[0] = 'X';
    assertThatThrownBy(() -> TaskModule.fromBytes(magic, FP)).hasMessageContaining("magic");
    byte[] version = bytes.clone();
    version[8] = 9;
    assertThatThrownBy(() -> TaskModule.fromBytes(version, FP)).hasMessageContaining("version 9");
    assertThatThrownBy(() -> TaskModule.fromBytes(bytes, "cd".repeat(32)))
        .isInstanceOf(IncompatibleModuleException.class).hasMessageContaining(FP).hasMessageContaining("cd".repeat(32));
  }

  /** A hostile module with a valid checksum but absurd counts is rejected before anything is allocated. */
  @Test
  void hugeClaimedSizesDoNotAllocate() {
    byte[] bytes = module(8).toBytes();
    int tensorCountAt = indexOfTensorCount(bytes);
    byte[] hostile = bytes.clone();
    hostile[tensorCountAt + 3] = 0x7f; // count ≈ 2^31
    resign(hostile);
    assertThatThrownBy(() -> TaskModuleCodec.decode(hostile)).isInstanceOf(IncompatibleModuleException.class)
        .hasMessageContaining("exceeds");
  }

  private static int indexOfTensorCount(byte[] b) {
    // magic 8 + version 2 + precision 1, then strings: fingerprint, kind, instruction, examples(2 strings)
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    buf.position(11);
    for (int i = 0; i < 3; i++) {
      buf.position(buf.position() + 4 + buf.getInt(buf.position()));
    }
    int examples = buf.getInt();
    for (int i = 0; i < 2 * examples; i++) {
      buf.position(buf.position() + 4 + buf.getInt(buf.position()));
    }
    return buf.position();
  }

  private static void resign(byte[] b) {
    byte[] sum = com.google.common.hash.Hashing.sha256().hashBytes(b, 0, b.length - 32).asBytes();
    System.arraycopy(sum, 0, b, b.length - 32, 32);
  }
}
