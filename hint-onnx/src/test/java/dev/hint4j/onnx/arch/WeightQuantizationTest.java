package dev.hint4j.onnx.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WeightQuantizationTest {
  @Test
  void flagsParseAndPrintBack() {
    assertThat(WeightQuantization.parse("fp32")).isEqualTo(WeightQuantization.FLOAT32);
    assertThat(WeightQuantization.parse("INT8")).isEqualTo(WeightQuantization.INT8);
    assertThat(WeightQuantization.parse("int4:block=128:accuracy=0"))
        .isEqualTo(new WeightQuantization(WeightQuantization.Kernel.MATMUL_NBITS, 4, 128, 0));
    for (WeightQuantization q : new WeightQuantization[] {WeightQuantization.FLOAT32, WeightQuantization.INT8,
        WeightQuantization.INT4, WeightQuantization.parse("int8:block=16")}) {
      assertThat(WeightQuantization.parse(q.id())).isEqualTo(q);
    }
  }

  @Test
  void badFlagsSayWhatToUse() {
    assertThatThrownBy(() -> WeightQuantization.parse("int3")).hasMessageContaining("use fp32, int8 or int4");
    assertThatThrownBy(() -> WeightQuantization.parse("int8:block=100")).hasMessageContaining("16, 32, 64, 128 or 256");
    assertThatThrownBy(() -> WeightQuantization.parse("int8:block=x")).hasMessageContaining("whole number");
    assertThatThrownBy(() -> WeightQuantization.parse("int8:rows=4")).hasMessageContaining("unknown option");
    assertThatThrownBy(() -> WeightQuantization.parse("fp32:block=32")).hasMessageContaining("not an option");
  }

  @Test
  void weightBytesCountCodesScalesAndZeroPoints() {
    assertThat(WeightQuantization.FLOAT32.weightBytes(512, 1024)).isEqualTo(4L * 512 * 1024);
    // int8, blocks of 128: 512·1024 codes, 4·1024 blocks each with a float scale and a byte zero point.
    assertThat(WeightQuantization.INT8.weightBytes(512, 1024)).isEqualTo(512L * 1024 + 4 * 1024 * 4 + 1024 * 4);
    // int4, blocks of 32: half a byte per code, 16 blocks per column, zero points two per byte.
    assertThat(WeightQuantization.INT4.weightBytes(512, 1024)).isEqualTo(512L * 1024 / 2 + 1024 * 16 * 4 + 1024 * 8);
  }
}
