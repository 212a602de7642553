package dev.hint4j.onnx.arch;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.graph.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole model in one teacher-forced pass, for training: instruction → hypernetwork → module
 * → encoder over the input → decoder over the full target (no cache). The same blocks build the
 * inference graphs, so there is one copy of the model. The instruction side runs once per task
 * (the instruction encoder, the hypernetwork, the instruction's cross-attention keys and values);
 * each row then gathers its task's module and instruction memory by {@code taskIndex}, exactly
 * what inference does with one compiled module and many inputs.
 */
public final class TrainingForward {
  private TrainingForward() {}

  /**
   * Logits [B, T, V]. {@code instructionIds}/{@code instructionMask} are [tasks, Li] and
   * {@code taskIndex} [B] names each row's task. With {@code hint} false the instruction inputs
   * are ignored (pass null) and the plain encoder-decoder runs: the instruction-concatenation
   * baseline, whose instruction is already inside {@code inputIds}.
   *
   * <p>{@code pretrainedStates} [tasks, Lm, width] and {@code pretrainedMask} [tasks, Lm] are a
   * frozen pretrained encoder's states of each instruction, for configs with
   * {@link HintConfig#pretrainedInstructionEncoder()} (else null): projected to d, RMS-normalized and
   * appended along the sequence to the instruction encoder's states, so the hypernetwork and the
   * decoder's fused cross-attention read both.
   *
   * <p>{@code promptMask} [B, L] marks the prompt tokens of the baseline's concatenated inputs, whose
   * cross-attention scores get the learned {@code concat.segment_bias}: required exactly for the
   * baseline ({@code hint} false) of a config with {@link HintConfig#hasPromptSegmentBias()}, else null.
   */
  public static Value logits(ArchContext a, boolean hint, Value instructionIds, Value instructionMask, Value taskIndex,
      Value pretrainedStates, Value pretrainedMask, Value inputIds, Value inputMask, Value promptMask, Value decoderIds) {
    if ((promptMask != null) != (!hint && a.c().hasPromptSegmentBias())) {
      throw new IllegalArgumentException(promptMask == null
          ? "this baseline config has a prompt segment bias: give the prompt mask of its inputs"
          : "a prompt mask is read only by a baseline (hint false) whose config has a prompt segment bias");
    }
    ModuleWiring module = hint ? module(a, instructionIds, instructionMask, pretrainedStates, pretrainedMask, taskIndex) : null;
    Value states = Encoder.encode(a, inputIds, inputMask, module);
    List<Decoder.LayerInputs> layers = new ArrayList<>();
    for (int j = 0; j < a.c().decoderLayers(); j++) {
      Attention.KvBlock input = Attention.project(a, states, "decoder.layers." + j + ".cross_attn", null);
      layers.add(module == null ? Decoder.LayerInputs.plain(input)
          : Decoder.LayerInputs.uncached(input, module.decoderLayer(j)));
    }
    return Decoder.step(a, decoderIds, Decoder.Biases.of(a, inputMask, promptMask, module), layers).logits();
  }

  /**
   * Each row's module: the instruction encoded (with the pretrained states appended when the config
   * has them) and the module generated once per task, then gathered per row.
   */
  private static ModuleWiring module(ArchContext a, Value instructionIds, Value instructionMask, Value pretrainedStates,
      Value pretrainedMask, Value taskIndex) {
    InstructionMemory memory = InstructionMemory.build(a, instructionIds, instructionMask, pretrainedStates, pretrainedMask);
    HyperNetwork.Generated perTask = a.g().scoped("generator", () -> HyperNetwork.generate(a, memory.states(), memory.mask()));
    return ModuleWiring.perRow(a, perTask, memory.states(), memory.mask(), taskIndex);
  }
}
