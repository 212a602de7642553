package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.graph.Ops.concat;
import static dev.hint4j.onnx.graph.Ops.gather;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.graph.Value;
import dev.hint4j.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
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
   */
  public static Value logits(ArchContext a, boolean hint, Value instructionIds, Value instructionMask, Value taskIndex,
      Value pretrainedStates, Value pretrainedMask, Value inputIds, Value inputMask, Value decoderIds) {
    HintConfig c = a.c();
    if (!hint) {
      Value states = Encoder.encode(a, inputIds, inputMask, null);
      List<Decoder.LayerInputs> layers = new ArrayList<>();
      for (int j = 0; j < c.decoderLayers(); j++) {
        Attention.KvBlock x = Attention.project(a, states, "decoder.layers." + j + ".cross_attn", null);
        layers.add(new Decoder.LayerInputs(null, null, x.keyT(), x.value(), null, null, null, null, null, null, null));
      }
      return Decoder.step(a, decoderIds, Decoder.Biases.fromMasks(a, inputMask, null, null), layers).logits();
    }
    Value ownStates = a.g().scoped("instruction_encoder", () -> Encoder.encode(a, instructionIds, instructionMask, null));
    Value instruction = ownStates;
    Value memoryMask = instructionMask;
    if (c.pretrainedInstructionEncoder() != null) {
      // RMS-normalized like the encoder's own output, so neither part starts out louder in attention.
      Value projected = a.g().scoped("pretrained_projection",
          () -> RmsNorm.apply(a, a.linear(pretrainedStates, "hyper.pretrained_proj"), "hyper.pretrained_norm"));
      instruction = concat(1, ownStates, projected);
      memoryMask = concat(1, instructionMask, pretrainedMask);
    }
    Value memory = instruction;
    Value mask = memoryMask;
    HyperNetwork.Generated perTask = a.g().scoped("generator", () -> HyperNetwork.generate(a, memory, mask));
    HyperNetwork.Generated gen = new HyperNetwork.Generated(gather(perTask.down(), taskIndex, 0),
        gather(perTask.up(), taskIndex, 0), gather(perTask.biasDown(), taskIndex, 0), gather(perTask.biasUp(), taskIndex, 0),
        gather(perTask.prefixKeysT(), taskIndex, 0), gather(perTask.prefixValues(), taskIndex, 0));
    Value rowInstructionMask = gather(mask, taskIndex, 0);
    float[] ones = new float[c.prefixLength()];
    Arrays.fill(ones, 1f);
    Value prefixMask = a.g().constantFloat(FloatTensor.of(new long[] {1, ones.length}, ones)); // prefixes are never masked
    List<Adapter> adapters = new ArrayList<>();
    List<Value> keys = new ArrayList<>();
    List<Value> values = new ArrayList<>();
    for (int i = 0; i < c.encoderLayers(); i++) {
      adapters.add(adapter(gen, i));
      keys.add(HyperNetwork.Generated.slot(gen.prefixKeysT(), i));
      values.add(HyperNetwork.Generated.slot(gen.prefixValues(), i));
    }
    Value states = Encoder.encode(a, inputIds, inputMask, new Encoder.Module(prefixMask, adapters, keys, values));
    List<Decoder.LayerInputs> layers = new ArrayList<>();
    int le = c.encoderLayers();
    int ld = c.decoderLayers();
    for (int j = 0; j < ld; j++) {
      String cross = "decoder.layers." + j + ".cross_attn";
      Attention.KvBlock x = Attention.project(a, states, cross, null);
      Attention.KvBlock ins = Attention.project(a, instruction, cross, null); // per task, then per row
      layers.add(new Decoder.LayerInputs(null, null, x.keyT(), x.value(), gather(ins.keyT(), taskIndex, 0),
          gather(ins.value(), taskIndex, 0),
          HyperNetwork.Generated.slot(gen.prefixKeysT(), le + j), HyperNetwork.Generated.slot(gen.prefixValues(), le + j),
          HyperNetwork.Generated.slot(gen.prefixKeysT(), le + ld + j),
          HyperNetwork.Generated.slot(gen.prefixValues(), le + ld + j),
          adapter(gen, le + j)));
    }
    return Decoder.step(a, decoderIds, Decoder.Biases.fromMasks(a, inputMask, rowInstructionMask, prefixMask), layers).logits();
  }

  private static Adapter adapter(HyperNetwork.Generated gen, int slot) {
    return new Adapter(HyperNetwork.Generated.slot(gen.down(), slot), HyperNetwork.Generated.slot(gen.up(), slot),
        HyperNetwork.Generated.slot(gen.biasDown(), slot), HyperNetwork.Generated.slot(gen.biasUp(), slot));
  }
}
