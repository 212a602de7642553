package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.graph.Ops.add;
import static dev.hint4j.onnx.graph.Ops.dimOf;
import static dev.hint4j.onnx.graph.Ops.gather;
import static dev.hint4j.onnx.graph.Ops.mul;
import static dev.hint4j.onnx.graph.Ops.range;
import static dev.hint4j.onnx.graph.Ops.reshape;
import static dev.hint4j.onnx.graph.Ops.unsqueeze;

import dev.hint4j.onnx.graph.Value;
import java.util.ArrayList;
import java.util.List;

/** The T5 encoder stack, optionally carrying a task module's adapters and prefixes. */
final class Encoder {
  private Encoder() {}

  /**
   * Encoder states [B, L, d] of token ids [B, L] (int64) with float mask [B, L]; padding rows are
   * zero. {@code module} null runs the plain encoder (how HINT encodes the instruction).
   */
  static Value encode(ArchContext a, Value ids, Value mask, ModuleWiring module) {
    List<ModuleWiring.EncoderLayer> layers = module == null ? null : module.encoderLayers();
    Value h = gather(a.param("shared.embedding"), ids, 0);
    Value length = reshape(dimOf(ids, 1));
    Value positions = range(a.g().scalarInt64(0), length);
    Value selfBias = add(RelativePositionBias.build(a, "encoder", positions, positions, true), a.maskBias(mask));
    Value prefixBias = module == null ? null : a.maskBias(module.prefixMask());
    for (int i = 0; i < a.c().encoderLayers(); i++) {
      String p = "encoder.layers." + i;
      try (var scope = a.g().scope(p)) {
        h = layer(a, h, p, selfBias, prefixBias, layers == null ? null : layers.get(i));
      }
    }
    Value out = RmsNorm.apply(a, h, "encoder.final_norm");
    return mul(out, unsqueeze(mask, -1));
  }

  private static Value layer(ArchContext a, Value h, String p, Value selfBias, Value prefixBias, ModuleWiring.EncoderLayer m) {
    Value n = RmsNorm.apply(a, h, p + ".attn_norm");
    List<Attention.KvBlock> blocks = new ArrayList<>();
    if (m != null) {
      blocks.add(new Attention.KvBlock(m.prefixKeyT(), m.prefixValue(), prefixBias));
    }
    blocks.add(Attention.project(a, n, p + ".attn", selfBias));
    h = add(h, Attention.apply(a, n, p + ".attn", blocks));
    n = RmsNorm.apply(a, h, p + ".ffn_norm");
    Value f = FeedForward.apply(a, n, p + ".ffn");
    if (m != null) {
      f = add(f, m.adapter().apply(n));
    }
    return add(h, f);
  }
}
