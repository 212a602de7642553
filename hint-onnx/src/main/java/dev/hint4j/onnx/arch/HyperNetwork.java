package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.graph.Ops.div;
import static dev.hint4j.onnx.graph.Ops.gather;
import static dev.hint4j.onnx.graph.Ops.geluTanh;
import static dev.hint4j.onnx.graph.Ops.reshape;
import static dev.hint4j.onnx.graph.Ops.slice;
import static dev.hint4j.onnx.graph.Ops.transpose;
import static dev.hint4j.onnx.graph.Ops.unsqueeze;

import dev.hint4j.onnx.graph.Value;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * HINT's parameter generator: learned component embeddings attend over the encoded instruction
 * in one attention layer; six MLP heads turn the attended rows into adapters and prefixes.
 */
final class HyperNetwork {
  private HyperNetwork() {}

  /** Generated tensors, stacked over slots: adapters [B, Sa, ..], prefixes [B, Sp, H, .., ..]. */
  record Generated(Value down, Value up, Value biasDown, Value biasUp, Value prefixKeysT, Value prefixValues) {
    /** The stacked output of head {@code kind}. */
    Value stacked(HeadKind kind) {
      return switch (kind) {
        case ADAPTER_DOWN -> down;
        case ADAPTER_UP -> up;
        case ADAPTER_BIAS_DOWN -> biasDown;
        case ADAPTER_BIAS_UP -> biasUp;
        case PREFIX_KEY -> prefixKeysT;
        case PREFIX_VALUE -> prefixValues;
      };
    }

    /** The slice of a stacked tensor for one slot (axis 1 removed). */
    static Value slot(Value stacked, int slot) {
      return gather(stacked, stacked.graph().scalarInt64(slot), 1);
    }
  }

  /** @param instructionStates H_I [B, Li, d], pad rows zero; @param mask [B, Li] float */
  static Generated generate(ArchContext a, Value instructionStates, Value mask) {
    var c = a.c();
    Value queries = unsqueeze(a.param("hyper.components"), 0); // [1, N, d], shared by every task
    Value attended = Attention.apply(a, queries, "hyper.attn",
        List.of(Attention.project(a, instructionStates, "hyper.attn", a.maskBias(mask)))); // [B, N, d]
    Map<HeadKind, Value> out = new EnumMap<>(HeadKind.class);
    Value sqrtD = a.g().scalar((float) Math.sqrt(c.dModel()));
    for (HeadKind k : HeadKind.values()) {
      Value rows = slice(attended, 1, k.firstRow(c), k.firstRow(c) + k.rowCount(c));
      String p = "hyper.head." + k.id;
      Value hidden = geluTanh(a.linear(rows, p + ".wi"));
      out.put(k, div(a.linear(hidden, p + ".wo"), sqrtD)); // every generated value / sqrt(d)
    }
    int sa = c.adapterSlots();
    int sp = c.prefixSlots();
    long h = c.numHeads();
    long dh = c.headDim();
    long p = c.prefixLength();
    return new Generated(
        // A rows of width d reinterpreted row-major as [d, A]: a reshape, not a transpose (as the paper).
        reshape(out.get(HeadKind.ADAPTER_DOWN), 0, sa, c.dModel(), c.adapterSize()),
        reshape(out.get(HeadKind.ADAPTER_UP), 0, sa, c.adapterSize(), c.dModel()),
        out.get(HeadKind.ADAPTER_BIAS_DOWN),
        out.get(HeadKind.ADAPTER_BIAS_UP),
        transpose(reshape(out.get(HeadKind.PREFIX_KEY), 0, sp, p, h, dh), 0, 1, 3, 4, 2),
        transpose(reshape(out.get(HeadKind.PREFIX_VALUE), 0, sp, p, h, dh), 0, 1, 3, 2, 4));
  }
}
