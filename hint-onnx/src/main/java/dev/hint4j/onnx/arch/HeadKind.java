package dev.hint4j.onnx.arch;

import dev.hint4j.HintConfig;

/** The six MLP heads of the parameter generator and the width each emits per row. */
public enum HeadKind {
  ADAPTER_DOWN("adapter_down"),
  ADAPTER_UP("adapter_up"),
  ADAPTER_BIAS_DOWN("adapter_bias_down"),
  ADAPTER_BIAS_UP("adapter_bias_up"),
  PREFIX_KEY("prefix_key"),
  PREFIX_VALUE("prefix_value");

  public final String id;

  HeadKind(String id) {
    this.id = id;
  }

  public int outWidth(HintConfig c) {
    return switch (this) {
      case ADAPTER_DOWN, ADAPTER_UP, ADAPTER_BIAS_UP -> c.dModel();
      case ADAPTER_BIAS_DOWN -> c.adapterSize();
      case PREFIX_KEY, PREFIX_VALUE -> c.innerDim();
    };
  }

  /** First row of this kind in {@code hyper.components} (ARCHITECTURE.md, "Component layout"). */
  public int firstRow(HintConfig c) {
    int sa = c.adapterSlots();
    int a = c.adapterSize();
    int sp = c.prefixSlots();
    int p = c.prefixLength();
    return switch (this) {
      case ADAPTER_DOWN -> 0;
      case ADAPTER_UP -> sa * a;
      case ADAPTER_BIAS_DOWN -> 2 * sa * a;
      case ADAPTER_BIAS_UP -> 2 * sa * a + sa;
      case PREFIX_KEY -> 2 * sa * a + 2 * sa;
      case PREFIX_VALUE -> 2 * sa * a + 2 * sa + sp * p;
    };
  }

  /** Rows of this kind: slots × rows per slot. */
  public int rowCount(HintConfig c) {
    return switch (this) {
      case ADAPTER_DOWN, ADAPTER_UP -> c.adapterSlots() * c.adapterSize();
      case ADAPTER_BIAS_DOWN, ADAPTER_BIAS_UP -> c.adapterSlots();
      case PREFIX_KEY, PREFIX_VALUE -> c.prefixSlots() * c.prefixLength();
    };
  }
}
