package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.arch.ModuleLayout.instructionCrossKey;
import static dev.hint4j.onnx.arch.ModuleLayout.instructionCrossValue;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the three inference graphs of a HINT model from its weights, with the input and output
 * names of ARCHITECTURE.md: {@code hypernetwork} (instruction → task module), {@code encoder}
 * (input + module, and the prompt mask of a baseline with a prompt segment bias → encoder states,
 * their cross-attention keys/values and the decoder's per-batch score biases) and {@code decoder}
 * (one cached decoding step). With {@code cacheInstructionKv} (the default) the hypernetwork also
 * emits every decoder layer's cross-attention keys/values of the instruction, once per task;
 * without it the module carries the encoded instruction and the encoder graph projects it per batch.
 */
public final class HintGraphs {
  public static final String HYPERNETWORK = "hypernetwork";
  public static final String ENCODER = "encoder";
  public static final String DECODER = "decoder";
  /**
   * The decoder's per-batch score biases, made by the encoder graph (see {@link #encoder()}): the
   * input's, shared by every layer, or per layer ({@link #inputBias(int)}) in models with a prompt
   * segment bias.
   */
  public static final String INPUT_BIAS = "input_bias";
  /**
   * The encoder input [batch, input_length] of models with a {@link HintConfig#hasPromptSegmentBias()
   * prompt segment bias}: 1 on the leading tokens that are the concatenation baseline's prompt.
   */
  public static final String PROMPT_MASK = "prompt_mask";
  public static final String PREFIX_BIAS = "prefix_bias";
  /** Hypernetwork inputs of models with a pretrained instruction encoder: its states and their mask. */
  public static final String PRETRAINED_STATES = "pretrained_states";
  public static final String PRETRAINED_MASK = "pretrained_mask";
  /**
   * The hypernetwork's mask of the instruction's own tokens when the model has a pretrained
   * instruction encoder (its output {@code instruction_mask} then covers the whole memory).
   */
  public static final String INSTRUCTION_TOKEN_MASK = "instruction_token_mask";

  public static String instructionBias(int layer) {
    return "instruction_bias." + layer;
  }

  /** Decoder layer {@code layer}'s bias of the input tokens, prompt segment bias included (models with one). */
  public static String inputBias(int layer) {
    return INPUT_BIAS + "." + layer;
  }

  private final HintWeights weights;
  private final HintConfig c;
  private final boolean cacheInstructionKv;
  private final WeightQuantization quantization;

  public HintGraphs(HintWeights weights) {
    this(weights, true);
  }

  public HintGraphs(HintWeights weights, boolean cacheInstructionKv) {
    this(weights, cacheInstructionKv, WeightQuantization.FLOAT32);
  }

  /**
   * @param quantization how the encoder's and decoder's linear weights (LM head included) are
   *     stored; the hypernetwork graph stays float32, so its task modules do not depend on it
   */
  public HintGraphs(HintWeights weights, boolean cacheInstructionKv, WeightQuantization quantization) {
    this.weights = weights;
    this.c = weights.config();
    this.cacheInstructionKv = cacheInstructionKv;
    this.quantization = quantization;
  }

  public boolean cachesInstructionKv() {
    return cacheInstructionKv;
  }

  /**
   * Instruction → task module. With a {@link HintConfig#pretrainedInstructionEncoder()} it also reads
   * {@link #PRETRAINED_STATES} [Bm, Lm, width] and {@link #PRETRAINED_MASK} [Bm, Lm], its instruction
   * token mask is named {@link #INSTRUCTION_TOKEN_MASK} (the output {@code instruction_mask} is then
   * the mask of the whole memory, Li + Lm tokens), and every instruction-side output covers Li + Lm
   * tokens: the memory is built by {@link InstructionMemory}, as in training.
   */
  public Graph hypernetwork() {
    Graph g = new Graph(HYPERNETWORK);
    ArchContext a = new ArchContext(g, c, weights);
    boolean pretrained = c.pretrainedInstructionEncoder() != null;
    // With the option the memory is longer than the instruction's tokens, so they get a dimension of their own.
    String tokens = pretrained ? "instruction_tokens" : ModuleLayout.INSTRUCTION_LENGTH;
    Value ids = g.input("instruction_ids", DType.INT64, "batch", tokens);
    Value mask = g.input(pretrained ? INSTRUCTION_TOKEN_MASK : ModuleLayout.INSTRUCTION_MASK, DType.FLOAT, "batch", tokens);
    Value pretrainedStates = null;
    Value pretrainedMask = null;
    if (pretrained) {
      pretrainedStates = g.input(PRETRAINED_STATES, DType.FLOAT, "batch", "pretrained_length",
          (long) c.pretrainedInstructionEncoder().width());
      pretrainedMask = g.input(PRETRAINED_MASK, DType.FLOAT, "batch", "pretrained_length");
    }
    InstructionMemory memory = InstructionMemory.build(a, ids, mask, pretrainedStates, pretrainedMask);
    g.output(ModuleLayout.INSTRUCTION_STATES, memory.states());
    HyperNetwork.Generated gen = g.scoped("generator", () -> HyperNetwork.generate(a, memory.states(), memory.mask()));
    ModuleWiring.perTask(a, gen, memory.states(), memory.mask()).writeOutputs(cacheInstructionKv);
    return g;
  }

  public Graph encoder() {
    Graph g = new Graph(ENCODER);
    ArchContext a = new ArchContext(g, c, weights, quantization);
    Value ids = g.input("input_ids", DType.INT64, "batch", "input_length");
    Value mask = g.input("input_mask", DType.FLOAT, "batch", "input_length");
    Value promptMask = c.hasPromptSegmentBias() ? g.input(PROMPT_MASK, DType.FLOAT, "batch", "input_length") : null;
    Map<String, Value> m = moduleInputs(g, ModuleLayout.encoderTensors(c, cacheInstructionKv));
    ModuleWiring module = ModuleWiring.fromInputs(c, m);
    Value states = Encoder.encode(a, ids, mask, module);
    g.output("encoder_states", states);
    outputCrossKv(a, states, "input_cross_");
    // What every decoder step adds to its attention scores and that depends on the batch only:
    // computed here once per batch, so the per-step decoder graph does not recompute it.
    Decoder.Biases biases = Decoder.Biases.of(a, mask, promptMask, module);
    if (promptMask == null) {
      g.output(INPUT_BIAS, biases.input().get(0)); // one for all layers
    } else {
      for (int j = 0; j < c.decoderLayers(); j++) {
        g.output(inputBias(j), biases.input().get(j));
      }
    }
    g.output(PREFIX_BIAS, biases.prefix());
    for (int j = 0; j < c.decoderLayers(); j++) {
      g.output(instructionBias(j), biases.instruction().get(j));
    }
    if (!cacheInstructionKv) {
      outputCrossKv(a, m.get(ModuleLayout.INSTRUCTION_STATES), "instruction_cross_");
    }
    return g;
  }

  /** Every decoder layer's cross-attention keys (transposed) and values of {@code states}. */
  private void outputCrossKv(ArchContext a, Value states, String prefix) {
    for (int j = 0; j < c.decoderLayers(); j++) {
      Attention.KvBlock kv = Attention.project(a, states, "decoder.layers." + j + ".cross_attn", null);
      a.g().output(prefix + "key." + j, kv.keyT());
      a.g().output(prefix + "value." + j, kv.value());
    }
  }

  public Graph decoder() {
    Graph g = new Graph(DECODER);
    ArchContext a = new ArchContext(g, c, weights, quantization);
    long h = c.numHeads();
    long dh = c.headDim();
    Value ids = g.input("decoder_input_ids", DType.INT64, "batch", "new_tokens");
    List<Value> instructionBiases = new ArrayList<>();
    for (int j = 0; j < c.decoderLayers(); j++) {
      instructionBiases.add(g.input(instructionBias(j), DType.FLOAT, ModuleLayout.MODULE_BATCH, h, 1,
          ModuleLayout.INSTRUCTION_LENGTH));
    }
    List<Value> inputBiases = new ArrayList<>();
    if (c.hasPromptSegmentBias()) {
      for (int j = 0; j < c.decoderLayers(); j++) {
        inputBiases.add(g.input(inputBias(j), DType.FLOAT, "batch", h, 1, "input_length"));
      }
    } else {
      inputBiases.addAll(java.util.Collections.nCopies(c.decoderLayers(), g.input(INPUT_BIAS, DType.FLOAT, "batch", 1, 1, "input_length")));
    }
    Decoder.Biases biases = new Decoder.Biases(inputBiases,
        g.input(PREFIX_BIAS, DType.FLOAT, ModuleLayout.MODULE_BATCH, 1, 1, c.prefixLength()), instructionBiases);
    List<Value[]> cache = new ArrayList<>();
    List<Value[]> input = new ArrayList<>();
    for (int j = 0; j < c.decoderLayers(); j++) {
      cache.add(new Value[] {
          g.input("past_key." + j, DType.FLOAT, "batch", h, dh, "past_length"),
          g.input("past_value." + j, DType.FLOAT, "batch", h, "past_length", dh)});
      input.add(new Value[] {
          g.input("input_cross_key." + j, DType.FLOAT, "batch", h, dh, "input_length"),
          g.input("input_cross_value." + j, DType.FLOAT, "batch", h, "input_length", dh)});
    }
    Map<String, Value> m = moduleInputs(g, ModuleLayout.decoderTensors(c, cacheInstructionKv));
    if (!cacheInstructionKv) { // produced by the encoder for each batch instead of stored in the module
      for (int j = 0; j < c.decoderLayers(); j++) {
        m.put(instructionCrossKey(j), g.input(instructionCrossKey(j), DType.FLOAT, ModuleLayout.MODULE_BATCH, h, dh,
            ModuleLayout.INSTRUCTION_LENGTH));
        m.put(instructionCrossValue(j), g.input(instructionCrossValue(j), DType.FLOAT, ModuleLayout.MODULE_BATCH, h,
            ModuleLayout.INSTRUCTION_LENGTH, dh));
      }
    }
    ModuleWiring module = ModuleWiring.fromInputs(c, m);
    List<Decoder.LayerInputs> layers = new ArrayList<>();
    for (int j = 0; j < c.decoderLayers(); j++) {
      layers.add(new Decoder.LayerInputs(cache.get(j)[0], cache.get(j)[1], input.get(j)[0], input.get(j)[1],
          module.decoderLayer(j)));
    }
    Decoder.Step step = Decoder.step(a, ids, biases, layers);
    g.output("logits", step.logits());
    for (int j = 0; j < c.decoderLayers(); j++) {
      g.output("present_key." + j, step.presentKeysT().get(j));
      g.output("present_value." + j, step.presentValues().get(j));
    }
    return g;
  }

  private static Map<String, Value> moduleInputs(Graph g, List<ModuleLayout.TensorSpec> specs) {
    Map<String, Value> m = new LinkedHashMap<>();
    for (ModuleLayout.TensorSpec s : specs) {
      m.put(s.name(), g.input(s.name(), DType.FLOAT, s.dims()));
    }
    return m;
  }
}
