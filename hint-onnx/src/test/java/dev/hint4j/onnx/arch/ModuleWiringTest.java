package dev.hint4j.onnx.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.graph.DType;
import dev.hint4j.onnx.graph.Graph;
import dev.hint4j.onnx.graph.Node;
import dev.hint4j.onnx.graph.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The wiring of generated slots to layers, on configs with unequal encoder and decoder depths
 * (where an off-by-Le or off-by-Ld slot would show): each slot of each generator head feeds exactly
 * one layer input and each layer input exactly one slot, at the place ARCHITECTURE.md's component
 * layout gives, under the name the inference graphs read.
 */
class ModuleWiringTest {
  private static HintConfig config(int encoderLayers, int decoderLayers) {
    return HintConfig.builder(40).dModel(16).numHeads(2).headDim(8).encoderLayers(encoderLayers)
        .decoderLayers(decoderLayers).ffnDim(32).relativeBuckets(8).relativeMaxDistance(16).adapterSize(4)
        .prefixLength(3).build();
  }

  private record Selection(HeadKind kind, int slot) {}

  /** The layout restated from ARCHITECTURE.md, by module tensor name. */
  private static int expectedSlot(HintConfig c, String name) {
    String[] parts = name.split("\\.");
    int layer = Integer.parseInt(parts[1]);
    if (parts[0].equals("enc")) {
      return layer;
    }
    return parts[2].startsWith("cross_prefix") ? c.encoderLayers() + c.decoderLayers() + layer : c.encoderLayers() + layer;
  }

  private static HeadKind expectedKind(String name) {
    String tensor = name.substring(name.lastIndexOf('.') + 1);
    for (HeadKind k : HeadKind.values()) {
      if (tensor.endsWith(k.id)) {
        return k;
      }
    }
    throw new AssertionError("no head makes " + name);
  }

  /** Module tensor names the generator makes (not the masks, not the instruction's keys/values). */
  private static Set<String> generatedNames(HintConfig c) {
    Set<String> names = new HashSet<>();
    for (ModuleLayout.TensorSpec s : ModuleLayout.allTensors(c, false)) {
      names.add(s.name());
    }
    names.removeAll(List.of(ModuleLayout.PREFIX_MASK, ModuleLayout.INSTRUCTION_MASK, ModuleLayout.INSTRUCTION_STATES));
    return names;
  }

  @ParameterizedTest
  @CsvSource({"3, 2", "1, 4", "2, 2"})
  void everySlotFeedsExactlyOneLayerInput(int encoderLayers, int decoderLayers) {
    HintConfig c = config(encoderLayers, decoderLayers);
    Graph g = new Graph("wiring");
    Map<String, Selection> selected = new HashMap<>();
    List<Integer> instructionLayers = new ArrayList<>();
    ModuleWiring w = new ModuleWiring(c, new ModuleWiring.Source() {
      @Override
      public Value generated(String name, HeadKind kind, int slot) {
        assertThat(selected.put(name, new Selection(kind, slot))).as("%s selected twice", name).isNull();
        return g.input(name, DType.FLOAT, 1);
      }

      @Override
      public Attention.KvBlock instruction(int layer) {
        instructionLayers.add(layer);
        return new Attention.KvBlock(g.input(ModuleLayout.instructionCrossKey(layer), DType.FLOAT, 1),
            g.input(ModuleLayout.instructionCrossValue(layer), DType.FLOAT, 1), null);
      }

      @Override
      public Value prefixMask() {
        return g.input(ModuleLayout.PREFIX_MASK, DType.FLOAT, 1);
      }

      @Override
      public Value instructionMask() {
        return g.input(ModuleLayout.INSTRUCTION_MASK, DType.FLOAT, 1);
      }
    });
    List<String> fed = new ArrayList<>(); // the module tensor behind every layer input, one entry per input
    for (ModuleWiring.EncoderLayer e : w.encoderLayers()) {
      fed.addAll(names(e.adapter().down(), e.adapter().up(), e.adapter().biasDown(), e.adapter().biasUp(),
          e.prefixKeyT(), e.prefixValue()));
    }
    for (int j = 0; j < decoderLayers; j++) {
      ModuleWiring.DecoderLayer d = w.decoderLayer(j);
      assertThat(w.decoderLayer(j)).as("a layer is selected once").isSameAs(d);
      assertThat(names(d.instructionKeyT(), d.instructionValue()))
          .containsExactly(ModuleLayout.instructionCrossKey(j), ModuleLayout.instructionCrossValue(j));
      fed.addAll(names(d.adapter().down(), d.adapter().up(), d.adapter().biasDown(), d.adapter().biasUp(),
          d.selfPrefixKeyT(), d.selfPrefixValue(), d.crossPrefixKeyT(), d.crossPrefixValue()));
      // each field under the name of its own layer and role
      assertThat(d.selfPrefixKeyT().name()).isEqualTo(ModuleLayout.dec(j, "self_prefix_key"));
      assertThat(d.crossPrefixValue().name()).isEqualTo(ModuleLayout.dec(j, "cross_prefix_value"));
      assertThat(d.adapter().biasUp().name()).isEqualTo(ModuleLayout.dec(j, "adapter_bias_up"));
    }
    assertThat(instructionLayers).containsExactlyElementsOf(IntStream.range(0, decoderLayers).boxed().toList());
    assertThat(fed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(generatedNames(c));
    Map<HeadKind, List<Integer>> slotsByHead = new TreeMap<>();
    for (String name : fed) {
      Selection s = selected.get(name);
      assertThat(s.kind()).as(name).isEqualTo(expectedKind(name));
      assertThat(s.slot()).as(name).isEqualTo(expectedSlot(c, name));
      slotsByHead.computeIfAbsent(s.kind(), k -> new ArrayList<>()).add(s.slot());
    }
    for (HeadKind k : HeadKind.values()) {
      int slots = k.name().startsWith("ADAPTER") ? c.adapterSlots() : c.prefixSlots();
      assertThat(slotsByHead.get(k)).as(k + ": every slot used once").containsExactlyInAnyOrderElementsOf(
          IntStream.range(0, slots).boxed().toList());
    }
  }

  private static List<String> names(Value... values) {
    return java.util.Arrays.stream(values).map(Value::name).toList();
  }

  /**
   * The graphs themselves: the hypernetwork outputs every module tensor (masks included), each
   * generated one a Gather of its head's stacked output at the slot the layout gives, and the
   * encoder and decoder graphs read exactly those tensors.
   */
  @ParameterizedTest
  @CsvSource({"3, 2, true", "3, 2, false", "1, 4, true"})
  void hypernetworkWritesWhatTheInferenceGraphsRead(int encoderLayers, int decoderLayers, boolean cacheKv) {
    HintConfig c = config(encoderLayers, decoderLayers);
    HintGraphs graphs = new HintGraphs(HintWeights.random(c, 3), cacheKv);
    Graph hyper = graphs.hypernetwork();
    Set<String> module = new HashSet<>();
    ModuleLayout.allTensors(c, cacheKv).forEach(s -> module.add(s.name()));
    Set<String> expectedOutputs = new HashSet<>(module);
    expectedOutputs.add(ModuleLayout.INSTRUCTION_STATES);
    assertThat(hyper.outputs().keySet()).containsExactlyInAnyOrderElementsOf(expectedOutputs);
    assertThat(hyper.outputs().get(ModuleLayout.INSTRUCTION_MASK)).as("the input mask itself")
        .isSameAs(hyper.value(ModuleLayout.INSTRUCTION_MASK));
    assertThat(hyper.outputs().get(ModuleLayout.PREFIX_MASK).shape().dims()).as("one module row of P ones")
        .containsExactly(dev.hint4j.onnx.graph.Dim.of(1), dev.hint4j.onnx.graph.Dim.of(c.prefixLength()));

    Map<Value, Node> producer = new HashMap<>();
    for (Node n : hyper.nodes()) {
      n.outputs().forEach(o -> producer.put(o, n));
    }
    Map<Value, HeadKind> headOfStack = new HashMap<>();
    for (String name : generatedNames(c)) {
      Node identity = producer.get(hyper.outputs().get(name));
      assertThat(identity.opType()).isEqualTo("Identity");
      Node gather = producer.get(identity.inputs().get(0));
      assertThat(gather.opType()).as(name).isEqualTo("Gather");
      long[] index = hyper.initializers().get(gather.inputs().get(1).name()).longs();
      assertThat(index).as(name).containsExactly(expectedSlot(c, name));
      HeadKind previous = headOfStack.putIfAbsent(gather.inputs().get(0), expectedKind(name));
      assertThat(previous == null || previous == expectedKind(name)).as(name + " gathered from another head's output").isTrue();
    }
    assertThat(new HashSet<>(headOfStack.values())).hasSize(HeadKind.values().length);
    assertThat(headOfStack).hasSize(HeadKind.values().length);

    Set<String> read = new HashSet<>();
    for (Graph g : List.of(graphs.encoder(), graphs.decoder())) {
      g.inputs().forEach(v -> read.add(v.name()));
    }
    assertThat(read).containsAll(module);
  }
}
