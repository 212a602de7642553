package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.graph.Ops.concat;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.graph.Value;

/**
 * What the hypernetwork and the decoder's fused cross-attention read of an instruction: the
 * instruction encoder's states, followed along the sequence, when the config has a
 * {@link HintConfig#pretrainedInstructionEncoder()}, by the frozen pretrained encoder's states
 * projected to d and RMS-normalized. The training forward and the inference hypernetwork graph
 * both build it here, so they cannot drift apart.
 *
 * @param states [tasks, Li (+ Lm), d]
 * @param mask [tasks, Li (+ Lm)]
 */
record InstructionMemory(Value states, Value mask) {
  /**
   * @param pretrainedStates [tasks or 1, Lm, width], null without the option
   * @param pretrainedMask [tasks or 1, Lm], null without the option
   */
  static InstructionMemory build(ArchContext a, Value instructionIds, Value instructionMask, Value pretrainedStates,
      Value pretrainedMask) {
    Value own = a.g().scoped("instruction_encoder", () -> Encoder.encode(a, instructionIds, instructionMask, null));
    if (a.c().pretrainedInstructionEncoder() == null) {
      return new InstructionMemory(own, instructionMask);
    }
    if (pretrainedStates == null || pretrainedMask == null) {
      throw new IllegalArgumentException("the config reads " + a.c().pretrainedInstructionEncoder().name()
          + " states of the instruction: pass pretrained_states and pretrained_mask");
    }
    // RMS-normalized like the encoder's own output, so neither part starts out louder in attention.
    Value projected = a.g().scoped("pretrained_projection",
        () -> RmsNorm.apply(a, a.linear(pretrainedStates, "hyper.pretrained_proj"), "hyper.pretrained_norm"));
    return new InstructionMemory(concat(1, own, projected), concat(1, instructionMask, pretrainedMask));
  }
}
