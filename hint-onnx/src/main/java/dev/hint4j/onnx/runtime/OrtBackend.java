package dev.hint4j.onnx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.hint4j.InferenceException;
import dev.hint4j.InvalidInputException;
import dev.hint4j.ModelLoadException;
import dev.hint4j.ModelManifest;
import dev.hint4j.TaskModule;
import dev.hint4j.onnx.arch.HintGraphs;
import dev.hint4j.spi.Backend;
import dev.hint4j.spi.BoundModule;
import dev.hint4j.spi.DecodeState;
import dev.hint4j.spi.ModelFiles;
import dev.hint4j.spi.RuntimeOptions;
import dev.hint4j.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX Runtime backend: one session per graph (hypernetwork, encoder, decoder), shared by all
 * threads. Checks at load that every graph has exactly the inputs and outputs the manifest implies.
 */
final class OrtBackend implements Backend {
  private final OrtEnvironment env;
  private final ModelManifest manifest;
  private final SessionFactory factory;
  private final OrtSession hypernetwork;
  private final OrtSession encoder;
  private final OrtSession decoder;
  /** The frozen pretrained instruction encoder of models with the option, else null (see {@link #compile(long[], String)}). */
  private final MiniLmInstructionStates pretrained;
  private final List<String> encoderModuleInputs = new ArrayList<>();
  private final List<String> decoderModuleInputs = new ArrayList<>();
  private final Set<String> encoderToDecoder = new HashSet<>();
  private final Set<String> moduleOutputs = new HashSet<>();
  private final Map<String, Integer> paddedAxis = new LinkedHashMap<>();
  private volatile boolean closed;

  private OrtBackend(OrtEnvironment env, ModelManifest manifest, SessionFactory factory,
      OrtSession hypernetwork, OrtSession encoder, OrtSession decoder, MiniLmInstructionStates pretrained) {
    this.env = env;
    this.pretrained = pretrained;
    this.manifest = manifest;
    this.factory = factory;
    this.hypernetwork = hypernetwork;
    this.encoder = encoder;
    this.decoder = decoder;
    for (ModelManifest.ModuleTensorSpec s : manifest.moduleTensors()) {
      paddedAxis.put(s.name(), s.paddedAxis());
      if (encoder.getInputNames().contains(s.name())) {
        encoderModuleInputs.add(s.name());
      }
      if (decoder.getInputNames().contains(s.name())) {
        decoderModuleInputs.add(s.name());
      }
    }
    for (String out : hypernetwork.getOutputNames()) {
      if (paddedAxis.containsKey(out)) {
        moduleOutputs.add(out); // what a TaskModule keeps; instruction_states is fetched only when the module carries it
      }
    }
    for (String out : encoder.getOutputNames()) {
      if (decoder.getInputNames().contains(out)) {
        encoderToDecoder.add(out); // input cross keys/values; instruction ones too when modules do not cache them
      }
    }
  }

  static OrtBackend open(ModelFiles files, ModelManifest manifest, RuntimeOptions options) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    SessionFactory factory = new SessionFactory(env, options);
    List<OrtSession> opened = new ArrayList<>();
    MiniLmInstructionStates pretrained = null;
    try {
      OrtSession h = open(factory, files, manifest, "hypernetwork", opened);
      OrtSession e = open(factory, files, manifest, "encoder", opened);
      OrtSession d = open(factory, files, manifest, "decoder", opened);
      if (manifest.config().pretrainedInstructionEncoder() != null) {
        // Loaded from its Maven artifact on the classpath and checked against the hash the model recorded.
        pretrained = MiniLmInstructionStates.forModel(manifest.config().pretrainedInstructionEncoder(),
            manifest.pretrainedEncoderSha256(), options);
      }
      OrtBackend b = new OrtBackend(env, manifest, factory, h, e, d, pretrained);
      b.checkSignatures();
      return b;
    } catch (RuntimeException ex) {
      for (OrtSession s : opened) {
        SessionFactory.closeQuietly(s);
      }
      if (pretrained != null) {
        pretrained.close();
      }
      factory.close();
      throw ex;
    }
  }

  private static OrtSession open(SessionFactory f, ModelFiles files, ModelManifest m, String role, List<OrtSession> opened) {
    OrtSession s = f.open(files, m.files().get(role).file());
    opened.add(s);
    return s;
  }

  /** The graphs must read and write exactly what the runtime will feed and fetch. */
  private void checkSignatures() {
    int layers = manifest.config().decoderLayers();
    Set<String> moduleNames = new HashSet<>(paddedAxis.keySet());
    Set<String> encIn = new HashSet<>(List.of("input_ids", "input_mask"));
    if (readsPromptMask()) {
      encIn.add(HintGraphs.PROMPT_MASK);
    }
    encIn.addAll(encoderModuleInputs);
    Set<String> decIn = new HashSet<>(List.of("decoder_input_ids"));
    decIn.addAll(decoderModuleInputs);
    decIn.addAll(encoderToDecoder);
    Set<String> encOut = new HashSet<>(List.of("encoder_states"));
    encOut.addAll(encoderToDecoder);
    Set<String> decOut = new HashSet<>(List.of("logits"));
    for (int j = 0; j < layers; j++) {
      for (String kv : List.of("key.", "value.")) {
        decIn.add("past_" + kv + j);
        if (!encoderToDecoder.contains("input_cross_" + kv + j)) {
          throw new ModelLoadException("the encoder graph must output input_cross_" + kv + j + " for the decoder");
        }
        decOut.add("present_" + kv + j);
      }
    }
    expect("encoder", "inputs", encoder.getInputNames(), encIn);
    expect("decoder", "inputs", decoder.getInputNames(), decIn);
    expect("encoder", "outputs", encoder.getOutputNames(), encOut);
    expect("decoder", "outputs", decoder.getOutputNames(), decOut);
    expect("hypernetwork", "inputs", hypernetwork.getInputNames(), pretrained == null
        ? Set.of("instruction_ids", "instruction_mask")
        : Set.of("instruction_ids", HintGraphs.INSTRUCTION_TOKEN_MASK, HintGraphs.PRETRAINED_STATES, HintGraphs.PRETRAINED_MASK));
    Set<String> produced = new HashSet<>(hypernetwork.getOutputNames());
    for (String name : moduleNames) {
      if (!produced.contains(name)) {
        throw new ModelLoadException("hypernetwork graph does not output module tensor '" + name + "' named in the manifest");
      }
    }
    Set<String> used = new HashSet<>(encoderModuleInputs);
    used.addAll(decoderModuleInputs);
    if (!used.equals(moduleNames)) {
      Set<String> unused = new HashSet<>(moduleNames);
      unused.removeAll(used);
      throw new ModelLoadException("module tensors " + unused + " in the manifest are read by no graph");
    }
    GraphShapes.check(manifest, hypernetwork, encoder, decoder);
  }

  private static void expect(String graph, String what, Set<String> actual, Set<String> expected) {
    if (!actual.equals(expected)) {
      Set<String> missing = new HashSet<>(expected);
      missing.removeAll(actual);
      Set<String> extra = new HashSet<>(actual);
      extra.removeAll(expected);
      throw new ModelLoadException(graph + " graph " + what + " do not match the manifest: missing " + missing
          + ", unexpected " + extra);
    }
  }

  @Override
  public Map<String, FloatTensor> compile(long[] ids) {
    if (pretrained != null) {
      throw new InvalidInputException("this model also reads its pretrained encoder's states of the instruction sentence:"
          + " call compile(ids, instructionSentence)");
    }
    return compile(ids, (String) null);
  }

  /**
   * Models with a pretrained instruction encoder also run it on {@code instructionSentence} (the
   * instruction without examples, as in training) and feed its states beside the task's tokens.
   */
  @Override
  public Map<String, FloatTensor> compile(long[] ids, String instructionSentence) {
    requireOpen();
    float[] mask = new float[ids.length];
    Arrays.fill(mask, 1f);
    Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
    try {
      feeds.put("instruction_ids", Tensors.longs(env, ids, new long[] {1, ids.length}));
      OnnxTensor maskT = Tensors.floats(env, java.nio.FloatBuffer.wrap(mask), new long[] {1, ids.length}, ids.length);
      if (pretrained == null) {
        feeds.put("instruction_mask", maskT);
      } else {
        feeds.put(HintGraphs.INSTRUCTION_TOKEN_MASK, maskT);
        float[] states;
        synchronized (pretrained) { // not thread-safe; compiling is rare next to generation
          states = pretrained.states(List.of(instructionSentence)).get(0);
        }
        int tokens = states.length / MiniLmInstructionStates.WIDTH;
        float[] ones = new float[tokens];
        Arrays.fill(ones, 1f);
        feeds.put(HintGraphs.PRETRAINED_STATES, Tensors.floats(env, java.nio.FloatBuffer.wrap(states),
            new long[] {1, tokens, MiniLmInstructionStates.WIDTH}, states.length));
        feeds.put(HintGraphs.PRETRAINED_MASK, Tensors.floats(env, java.nio.FloatBuffer.wrap(ones), new long[] {1, tokens}, tokens));
      }
      try (OrtSession.Result r = hypernetwork.run(feeds, moduleOutputs)) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
          out.put(e.getKey(), Tensors.toFloatTensor((OnnxTensor) e.getValue()));
        }
        return out;
      }
    } catch (OrtException e) {
      throw new InferenceException("hypernetwork run failed (" + e.getCode() + "): " + e.getMessage(), e);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public BoundModule bind(TaskModule module) {
    requireOpen();
    for (String name : paddedAxis.keySet()) {
      if (!module.tensors().containsKey(name)) {
        throw new InvalidInputException("task module lacks tensor '" + name + "' this model needs");
      }
    }
    return new OrtBoundModule(env, module);
  }

  @Override
  public DecodeState start(List<BoundModule> rowModules, List<long[]> inputIds, int[] promptTokens) {
    requireOpen();
    if (rowModules.size() != inputIds.size() || inputIds.isEmpty() || promptTokens.length != inputIds.size()) {
      throw new InvalidInputException("need one module and one prompt length per input, and at least one input");
    }
    for (int b = 0; b < promptTokens.length; b++) {
      if (promptTokens[b] < 0 || promptTokens[b] > inputIds.get(b).length) {
        throw new InvalidInputException("row " + b + " has " + promptTokens[b] + " prompt tokens, outside 0.."
            + inputIds.get(b).length + " (its input's length)");
      }
    }
    List<OrtBoundModule> modules = new ArrayList<>();
    for (BoundModule m : rowModules) {
      if (!(m instanceof OrtBoundModule om)) {
        throw new InvalidInputException("module was bound by another backend");
      }
      modules.add(om);
    }
    return OrtDecodeState.start(this, modules, inputIds, promptTokens);
  }

  OrtEnvironment env() {
    return env;
  }

  ModelManifest manifest() {
    return manifest;
  }

  OrtSession encoderSession() {
    return encoder;
  }

  OrtSession decoderSession() {
    return decoder;
  }

  /** Whether the encoder graph reads {@link HintGraphs#PROMPT_MASK} (models with a prompt segment bias). */
  boolean readsPromptMask() {
    return manifest.config().hasPromptSegmentBias();
  }

  List<String> encoderModuleInputs() {
    return encoderModuleInputs;
  }

  List<String> decoderModuleInputs() {
    return decoderModuleInputs;
  }

  /** Encoder outputs the decoder reads (computed once per batch). */
  Set<String> encoderToDecoder() {
    return encoderToDecoder;
  }

  int paddedAxis(String moduleTensor) {
    return paddedAxis.getOrDefault(moduleTensor, -1);
  }

  @Override
  public String describe() {
    return "onnxruntime " + env.getVersion() + ", device " + factory.device() + ", providers available "
        + OrtEnvironment.getAvailableProviders();
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("backend is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    SessionFactory.closeQuietly(hypernetwork);
    SessionFactory.closeQuietly(encoder);
    SessionFactory.closeQuietly(decoder);
    if (pretrained != null) {
      pretrained.close();
    }
    factory.close();
  }

}
