package dev.hint4j.onnx.export;

import dev.hint4j.HintConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each encoder-decoder parameter of hint4j lives in a Hugging Face T5 v1.1 / LM-adapted
 * checkpoint ({@code T5ForConditionalGeneration} naming). HF stores {@code nn.Linear} weights as
 * [out, in] and computes x·Wᵀ; hint4j stores [in, out] and computes x·W, so every linear weight
 * is transposed on the way in and out. One table serves import and export, so the two cannot
 * disagree. The hypernetwork ({@code hyper.*}) has no HF counterpart.
 */
public final class HfT5Naming {
  /** The HF tensor name and whether the matrix is transposed between the two layouts. */
  public record HfName(String name, boolean transposed) {}

  private HfT5Naming() {}

  /** hint4j parameter name → HF name, for every non-hypernetwork parameter of {@code c}. */
  public static Map<String, HfName> table(HintConfig c) {
    Map<String, HfName> t = new LinkedHashMap<>();
    t.put("shared.embedding", new HfName("shared.weight", false));
    t.put("encoder.rel_bias", new HfName("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", false));
    for (int i = 0; i < c.encoderLayers(); i++) {
      String ours = "encoder.layers." + i;
      String hf = "encoder.block." + i + ".layer.";
      t.put(ours + ".attn_norm", new HfName(hf + "0.layer_norm.weight", false));
      attention(t, ours + ".attn", hf + "0.SelfAttention");
      t.put(ours + ".ffn_norm", new HfName(hf + "1.layer_norm.weight", false));
      ffn(t, ours + ".ffn", hf + "1.DenseReluDense");
    }
    t.put("encoder.final_norm", new HfName("encoder.final_layer_norm.weight", false));
    t.put("decoder.rel_bias", new HfName("decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", false));
    for (int j = 0; j < c.decoderLayers(); j++) {
      String ours = "decoder.layers." + j;
      String hf = "decoder.block." + j + ".layer.";
      t.put(ours + ".self_norm", new HfName(hf + "0.layer_norm.weight", false));
      attention(t, ours + ".self_attn", hf + "0.SelfAttention");
      t.put(ours + ".cross_norm", new HfName(hf + "1.layer_norm.weight", false));
      attention(t, ours + ".cross_attn", hf + "1.EncDecAttention");
      t.put(ours + ".ffn_norm", new HfName(hf + "2.layer_norm.weight", false));
      ffn(t, ours + ".ffn", hf + "2.DenseReluDense");
    }
    t.put("decoder.final_norm", new HfName("decoder.final_layer_norm.weight", false));
    t.put("lm_head", new HfName("lm_head.weight", true));
    return t;
  }

  private static void attention(Map<String, HfName> t, String ours, String hf) {
    for (String p : List.of("q", "k", "v", "o")) {
      t.put(ours + "." + p, new HfName(hf + "." + p + ".weight", true));
    }
  }

  private static void ffn(Map<String, HfName> t, String ours, String hf) {
    for (String p : List.of("wi_0", "wi_1", "wo")) {
      t.put(ours + "." + p, new HfName(hf + "." + p + ".weight", true));
    }
  }
}
