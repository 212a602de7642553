package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.graph.Ops.add;
import static dev.hint4j.onnx.graph.Ops.concat;
import static dev.hint4j.onnx.graph.Ops.dimOf;
import static dev.hint4j.onnx.graph.Ops.matMul;
import static dev.hint4j.onnx.graph.Ops.reshape;
import static dev.hint4j.onnx.graph.Ops.slice;
import static dev.hint4j.onnx.graph.Ops.softmax;
import static dev.hint4j.onnx.graph.Ops.transpose;

import dev.hint4j.onnx.graph.Dim;
import dev.hint4j.onnx.graph.Value;
import java.util.List;

/**
 * T5 multi-head attention (no 1/sqrt(Dh) scaling) over keys that come in blocks: generated
 * prefixes, cached keys, the task's instruction memory, the input. Each block keeps its own
 * additive bias; one softmax runs over all blocks' scores. Blocks avoid concatenating (copying)
 * large cached key/value tensors on every decoding step: only the small score rows are joined.
 */
final class Attention {
  private Attention() {}

  /**
   * One block of keys and values.
   *
   * @param keyT keys per head, transposed: [B or Bm, H, Dh, Lk]
   * @param value [B or Bm, H, Lk, Dh]
   * @param bias additive score bias broadcastable to [B, H, Tq, Lk], or null for none
   */
  record KvBlock(Value keyT, Value value, Value bias) {}

  /** [B, L, H·Dh] → [B, H, L, Dh]. */
  static Value splitHeads(ArchContext a, Value x) {
    return transpose(reshape(x, 0, 0, a.c().numHeads(), a.c().headDim()), 0, 2, 1, 3);
  }

  /** [B, L, H·Dh] → keys transposed per head, [B, H, Dh, L]. */
  static Value splitHeadsTransposed(ArchContext a, Value x) {
    return transpose(reshape(x, 0, 0, a.c().numHeads(), a.c().headDim()), 0, 2, 3, 1);
  }

  /** [B, H, L, Dh] → [B, L, H·Dh]. */
  static Value mergeHeads(ArchContext a, Value x) {
    return reshape(transpose(x, 0, 2, 1, 3), 0, 0, a.c().innerDim());
  }

  /** The keys and values a sequence of states offers to attention, projected by {@code prefix}.k/.v. */
  static KvBlock project(ArchContext a, Value states, String prefix, Value bias) {
    return new KvBlock(splitHeadsTransposed(a, a.linear(states, prefix + ".k")),
        splitHeads(a, a.linear(states, prefix + ".v")), bias);
  }

  /** Attention of normalised states {@code n} [B, Tq, d] over the blocks; returns [B, Tq, d] after the output projection. */
  static Value apply(ArchContext a, Value n, String prefix, List<KvBlock> blocks) {
    Value q = splitHeads(a, a.linear(n, prefix + ".q"));
    return a.linear(mergeHeads(a, attend(q, blocks)), prefix + ".o");
  }

  /** softmax over all blocks' scores, then the weighted sum of their values: [B, H, Tq, Dh]. */
  static Value attend(Value q, List<KvBlock> blocks) {
    Value[] scores = new Value[blocks.size()];
    for (int i = 0; i < scores.length; i++) {
      KvBlock b = blocks.get(i);
      Value s = matMul(q, b.keyT());
      scores[i] = b.bias() == null ? s : add(s, b.bias());
    }
    if (scores.length == 1) {
      return matMul(softmax(scores[0], -1), blocks.get(0).value());
    }
    Value weights = softmax(concat(-1, scores), -1);
    var g = q.graph();
    Value out = null;
    Value start = g.constantInt64(0);
    long knownStart = 0; // the start as a number while every block before it has a static length, else -1
    for (int i = 0; i < scores.length; i++) {
      // Block boundaries are constants where lengths are static (prefixes) and the last block runs
      // to the end: only a run-time length before the last block (the instruction's) costs Shape
      // and Add kernels at every step.
      Dim length = blocks.get(i).keyT().shape().dim(-1);
      Value end;
      if (i == scores.length - 1) {
        end = g.constantInt64(Long.MAX_VALUE);
      } else if (knownStart >= 0 && length.isKnown()) {
        knownStart += length.size();
        end = g.constantInt64(knownStart);
      } else {
        knownStart = -1;
        end = add(start, length.isKnown() ? g.constantInt64(length.size()) : dimOf(blocks.get(i).keyT(), -1));
      }
      Value part = matMul(slice(weights, 3, start, end), blocks.get(i).value());
      out = out == null ? part : add(out, part);
      start = end;
    }
    return out;
  }
}
