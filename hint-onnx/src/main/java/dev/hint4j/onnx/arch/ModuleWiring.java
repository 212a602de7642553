package dev.hint4j.onnx.arch;

import static dev.hint4j.onnx.arch.ModuleLayout.dec;
import static dev.hint4j.onnx.arch.ModuleLayout.enc;
import static dev.hint4j.onnx.arch.ModuleLayout.instructionCrossKey;
import static dev.hint4j.onnx.arch.ModuleLayout.instructionCrossValue;
import static dev.hint4j.onnx.graph.Ops.gather;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.graph.GraphBuildException;
import dev.hint4j.onnx.graph.Value;
import dev.hint4j.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a task module gives each layer, and the one place that says which generated slot feeds
 * which layer (ARCHITECTURE.md, "Component layout"): adapter slot i and prefix slot i belong to
 * encoder layer i; adapter slot Le+j and prefix slot Le+j to decoder layer j's feed-forward and
 * self-attention; prefix slot Le+Ld+j to its cross-attention. Each tensor is named here too, as a
 * module stores it, so the hypernetwork graph's outputs and the inference graphs' inputs cannot
 * disagree.
 *
 * <p>Built three ways: from the generator's output in the training graph ({@link #perRow}),
 * written as the hypernetwork graph's outputs ({@link #perTask}, {@link #writeOutputs}), and from
 * the encoder's and decoder's graph inputs ({@link #fromInputs}). A layer's tensors are selected
 * when it is first asked for and kept, so a graph gets its selection nodes in the order its
 * layers are built (the training graph's node order, on which its gradient sums depend, is
 * unchanged by this type) and a graph that reads only the decoder's half never asks for the
 * encoder's.
 */
final class ModuleWiring {
  /** What encoder layer i reads from the module: its adapter and self-attention prefix. */
  record EncoderLayer(Adapter adapter, Value prefixKeyT, Value prefixValue) {}

  /**
   * What decoder layer j reads from the module: the instruction's cross-attention keys/values
   * (fused into cross-attention), its self- and cross-attention prefixes and its adapter.
   */
  record DecoderLayer(Value instructionKeyT, Value instructionValue, Value selfPrefixKeyT, Value selfPrefixValue,
      Value crossPrefixKeyT, Value crossPrefixValue, Adapter adapter) {}

  /** Where a module's tensors come from. */
  interface Source {
    /** The tensor of generator head {@code kind} for {@code slot}, which a module stores as {@code name}. */
    Value generated(String name, HeadKind kind, int slot);

    /**
     * Decoder layer {@code layer}'s cross-attention keys (transposed) and values of the instruction,
     * stored as {@link ModuleLayout#instructionCrossKey}/{@link ModuleLayout#instructionCrossValue}.
     */
    Attention.KvBlock instruction(int layer);

    /** [Bm, P]: which prefix positions attend (all of them: prefixes are never masked). */
    Value prefixMask();

    /** [Bm, Li]: which instruction positions the decoder's fused cross-attention reads. */
    Value instructionMask();
  }

  private final HintConfig c;
  private final Source source;
  private final EncoderLayer[] encoder;
  private final DecoderLayer[] decoder;
  /** Every generated tensor selected so far, by module name. */
  private final Map<String, Value> named = new LinkedHashMap<>();

  ModuleWiring(HintConfig c, Source source) {
    this.c = c;
    this.source = source;
    this.encoder = new EncoderLayer[c.encoderLayers()];
    this.decoder = new DecoderLayer[c.decoderLayers()];
  }

  /**
   * The module an inference graph reads as inputs named as modules store them ({@code inputs}
   * holds the graph's module inputs; a layer or mask the graph does not declare fails when asked for).
   */
  static ModuleWiring fromInputs(HintConfig c, Map<String, Value> inputs) {
    return new ModuleWiring(c, new Source() {
      @Override
      public Value generated(String name, HeadKind kind, int slot) {
        return input(name);
      }

      @Override
      public Attention.KvBlock instruction(int layer) {
        return new Attention.KvBlock(input(instructionCrossKey(layer)), input(instructionCrossValue(layer)), null);
      }

      @Override
      public Value prefixMask() {
        return input(ModuleLayout.PREFIX_MASK);
      }

      @Override
      public Value instructionMask() {
        return input(ModuleLayout.INSTRUCTION_MASK);
      }

      private Value input(String name) {
        Value v = inputs.get(name);
        if (v == null) {
          throw new GraphBuildException("module tensor '" + name + "' is not an input of this graph");
        }
        return v;
      }
    });
  }

  /**
   * One module per instruction row, as the hypernetwork graph writes it: {@code gen} generated
   * from {@code instructionStates} [Bm, Li, d] under {@code instructionMask} [Bm, Li].
   */
  static ModuleWiring perTask(ArchContext a, HyperNetwork.Generated gen, Value instructionStates, Value instructionMask) {
    return new ModuleWiring(a.c(), new GeneratedSource(a, gen, instructionStates, instructionMask, prefixMask(a)) {
      @Override
      public Attention.KvBlock instruction(int layer) {
        return project(layer);
      }
    });
  }

  /**
   * The training graph's module: generated once per task ({@code perTask} from {@code
   * instructionStates}, both over [tasks, ..]), then gathered for each row by its task's index
   * {@code taskIndex} [B], as inference gives one compiled module to many inputs.
   */
  static ModuleWiring perRow(ArchContext a, HyperNetwork.Generated perTask, Value instructionStates, Value instructionMask,
      Value taskIndex) {
    // The gathers and the mask are made here, before any layer's, as the training graph has always ordered its nodes.
    HyperNetwork.Generated rows = new HyperNetwork.Generated(gather(perTask.down(), taskIndex, 0),
        gather(perTask.up(), taskIndex, 0), gather(perTask.biasDown(), taskIndex, 0), gather(perTask.biasUp(), taskIndex, 0),
        gather(perTask.prefixKeysT(), taskIndex, 0), gather(perTask.prefixValues(), taskIndex, 0));
    Value rowInstructionMask = gather(instructionMask, taskIndex, 0);
    return new ModuleWiring(a.c(), new GeneratedSource(a, rows, instructionStates, rowInstructionMask, prefixMask(a)) {
      @Override
      public Attention.KvBlock instruction(int layer) {
        Attention.KvBlock perTaskKv = project(layer); // projected once per task, then gathered per row
        return new Attention.KvBlock(gather(perTaskKv.keyT(), taskIndex, 0), gather(perTaskKv.value(), taskIndex, 0), null);
      }
    });
  }

  /** Ones [1, P]: every prefix position attends, in every module (the module batch broadcasts). */
  private static Value prefixMask(ArchContext a) {
    float[] ones = new float[a.c().prefixLength()];
    Arrays.fill(ones, 1f);
    return a.g().constantFloat(FloatTensor.of(new long[] {1, ones.length}, ones));
  }

  /** A module made by the generator: slots are selected from its stacked output. */
  private abstract static class GeneratedSource implements Source {
    private final ArchContext a;
    private final HyperNetwork.Generated gen;
    private final Value instructionStates;
    private final Value instructionMask;
    private final Value prefixMask;

    GeneratedSource(ArchContext a, HyperNetwork.Generated gen, Value instructionStates, Value instructionMask,
        Value prefixMask) {
      this.a = a;
      this.gen = gen;
      this.instructionStates = instructionStates;
      this.instructionMask = instructionMask;
      this.prefixMask = prefixMask;
    }

    @Override
    public Value generated(String name, HeadKind kind, int slot) {
      return HyperNetwork.Generated.slot(gen.stacked(kind), slot);
    }

    /** Layer {@code layer}'s cross-attention keys/values of the instruction, one block per instruction row. */
    Attention.KvBlock project(int layer) {
      return Attention.project(a, instructionStates, "decoder.layers." + layer + ".cross_attn", null);
    }

    @Override
    public Value prefixMask() {
      return prefixMask;
    }

    @Override
    public Value instructionMask() {
      return instructionMask;
    }
  }

  Value prefixMask() {
    return source.prefixMask();
  }

  Value instructionMask() {
    return source.instructionMask();
  }

  /** Every encoder layer's tensors, in layer order. */
  List<EncoderLayer> encoderLayers() {
    List<EncoderLayer> out = new ArrayList<>();
    for (int i = 0; i < encoder.length; i++) {
      out.add(encoderLayer(i));
    }
    return out;
  }

  EncoderLayer encoderLayer(int i) {
    if (encoder[i] == null) {
      encoder[i] = new EncoderLayer(adapter("enc." + i + ".", i),
          tensor(enc(i, "prefix_key"), HeadKind.PREFIX_KEY, i), tensor(enc(i, "prefix_value"), HeadKind.PREFIX_VALUE, i));
    }
    return encoder[i];
  }

  DecoderLayer decoderLayer(int j) {
    if (decoder[j] == null) {
      decoder[j] = decoderLayer(j, source.instruction(j));
    }
    return decoder[j];
  }

  /** Decoder layer j's generated tensors with {@code instruction} (null only when writing modules without it). */
  private DecoderLayer decoderLayer(int j, Attention.KvBlock instruction) {
    int self = c.encoderLayers() + j; // adapter and self-attention prefix
    int cross = c.encoderLayers() + c.decoderLayers() + j;
    return new DecoderLayer(instruction == null ? null : instruction.keyT(), instruction == null ? null : instruction.value(),
        tensor(dec(j, "self_prefix_key"), HeadKind.PREFIX_KEY, self),
        tensor(dec(j, "self_prefix_value"), HeadKind.PREFIX_VALUE, self),
        tensor(dec(j, "cross_prefix_key"), HeadKind.PREFIX_KEY, cross),
        tensor(dec(j, "cross_prefix_value"), HeadKind.PREFIX_VALUE, cross),
        adapter("dec." + j + ".", self));
  }

  private Adapter adapter(String layer, int slot) {
    return new Adapter(tensor(layer + "adapter_down", HeadKind.ADAPTER_DOWN, slot),
        tensor(layer + "adapter_up", HeadKind.ADAPTER_UP, slot),
        tensor(layer + "adapter_bias_down", HeadKind.ADAPTER_BIAS_DOWN, slot),
        tensor(layer + "adapter_bias_up", HeadKind.ADAPTER_BIAS_UP, slot));
  }

  private Value tensor(String name, HeadKind kind, int slot) {
    Value v = source.generated(name, kind, slot);
    named.put(name, v);
    return v;
  }

  /**
   * Marks every module tensor as a graph output named as modules store it: the masks, every
   * layer's generated tensors and, with {@code instructionKv}, every decoder layer's
   * cross-attention keys/values of the instruction (without it, the encoder projects the
   * instruction for every batch).
   */
  void writeOutputs(boolean instructionKv) {
    var g = source.prefixMask().graph();
    g.output(ModuleLayout.PREFIX_MASK, prefixMask());
    g.output(ModuleLayout.INSTRUCTION_MASK, instructionMask());
    for (int i = 0; i < encoder.length; i++) {
      encoderLayer(i);
    }
    for (int j = 0; j < decoder.length; j++) {
      if (instructionKv) {
        DecoderLayer d = decoderLayer(j);
        g.output(instructionCrossKey(j), d.instructionKeyT());
        g.output(instructionCrossValue(j), d.instructionValue());
      } else {
        decoderLayer(j, null);
      }
    }
    named.forEach(g::output);
  }
}
