package dev.hint4j.onnx.arch;

import dev.hint4j.HintConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Names and shapes of the tensors that make up a task module (ARCHITECTURE.md, "Graph inputs
 * and outputs"). Dimension 0 is the module batch. With the per-task instruction cache on (the
 * default) a module holds every decoder layer's cross-attention keys/values of the instruction;
 * with it off it holds the encoded instruction, and the encoder projects it again for every
 * batch (the reference implementation's behaviour, kept for comparison). {@code paddedAxis} is the axis that grows with
 * the instruction length (padded with zeros, mask 0, when modules of different tasks share a
 * batch), or -1.
 */
public final class ModuleLayout {
  /** One module tensor. Dims are numbers or symbols ("module_batch", "instruction_length"). */
  public record TensorSpec(String name, Object[] dims, int paddedAxis) {}

  public static final String MODULE_BATCH = "module_batch";
  public static final String INSTRUCTION_LENGTH = "instruction_length";
  public static final String PREFIX_MASK = "prefix_mask";
  public static final String INSTRUCTION_MASK = "instruction_mask";
  public static final String INSTRUCTION_STATES = "instruction_states";

  private ModuleLayout() {}

  public static String enc(int layer, String tensor) {
    return "enc." + layer + "." + tensor;
  }

  public static String dec(int layer, String tensor) {
    return "dec." + layer + "." + tensor;
  }

  public static String instructionCrossKey(int layer) {
    return "instruction_cross_key." + layer;
  }

  public static String instructionCrossValue(int layer) {
    return "instruction_cross_value." + layer;
  }

  /**
   * Module tensors the encoder reads. Besides the encoder's own, the two masks: the encoder turns
   * them into the decoder's score biases once per batch (see {@link HintGraphs#encoder()}).
   */
  public static List<TensorSpec> encoderTensors(HintConfig c, boolean cacheInstructionKv) {
    List<TensorSpec> out = new ArrayList<>();
    out.add(new TensorSpec(PREFIX_MASK, dims(c.prefixLength()), -1));
    if (!cacheInstructionKv) {
      out.add(new TensorSpec(INSTRUCTION_STATES, dims(INSTRUCTION_LENGTH, c.dModel()), 1));
    }
    for (int i = 0; i < c.encoderLayers(); i++) {
      addAdapter(out, c, "enc." + i + ".");
      addPrefix(out, c, enc(i, "prefix_key"), enc(i, "prefix_value"));
    }
    out.add(new TensorSpec(INSTRUCTION_MASK, dims(INSTRUCTION_LENGTH), 1));
    return out;
  }

  /**
   * Module tensors the decoder reads (with the cache off, the instruction's keys/values come from
   * the encoder; the masks reach it as the encoder's per-batch score biases).
   */
  public static List<TensorSpec> decoderTensors(HintConfig c, boolean cacheInstructionKv) {
    List<TensorSpec> out = new ArrayList<>();
    for (int j = 0; j < c.decoderLayers(); j++) {
      addAdapter(out, c, "dec." + j + ".");
      addPrefix(out, c, dec(j, "self_prefix_key"), dec(j, "self_prefix_value"));
      addPrefix(out, c, dec(j, "cross_prefix_key"), dec(j, "cross_prefix_value"));
      if (cacheInstructionKv) {
        out.add(new TensorSpec(instructionCrossKey(j), dims(c.numHeads(), c.headDim(), INSTRUCTION_LENGTH), 3));
        out.add(new TensorSpec(instructionCrossValue(j), dims(c.numHeads(), INSTRUCTION_LENGTH, c.headDim()), 2));
      }
    }
    return out;
  }

  /**
   * Every tensor of a task module, encoder ones first (the manifest's order, unchanged since the
   * masks moved from the decoder's inputs to the encoder's: instruction_mask still comes right
   * after the encoder's tensors).
   */
  public static List<TensorSpec> allTensors(HintConfig c, boolean cacheInstructionKv) {
    List<TensorSpec> out = new ArrayList<>(encoderTensors(c, cacheInstructionKv));
    out.addAll(decoderTensors(c, cacheInstructionKv));
    return out;
  }

  private static void addAdapter(List<TensorSpec> out, HintConfig c, String p) {
    out.add(new TensorSpec(p + "adapter_down", dims(c.dModel(), c.adapterSize()), -1));
    out.add(new TensorSpec(p + "adapter_up", dims(c.adapterSize(), c.dModel()), -1));
    out.add(new TensorSpec(p + "adapter_bias_down", dims(c.adapterSize()), -1));
    out.add(new TensorSpec(p + "adapter_bias_up", dims(c.dModel()), -1));
  }

  private static void addPrefix(List<TensorSpec> out, HintConfig c, String key, String value) {
    out.add(new TensorSpec(key, dims(c.numHeads(), c.headDim(), c.prefixLength()), -1));
    out.add(new TensorSpec(value, dims(c.numHeads(), c.prefixLength(), c.headDim()), -1));
  }

  private static Object[] dims(Object... rest) {
    Object[] d = new Object[rest.length + 1];
    d[0] = MODULE_BATCH;
    System.arraycopy(rest, 0, d, 1, rest.length);
    return d;
  }
}
