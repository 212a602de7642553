package dev.hint4j.examples.train;

import dev.hint4j.HintConfig;
import dev.hint4j.onnx.arch.HintWeights;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model size a command line asks for: a preset ({@code --size tiny|small|medium}) and, to
 * size e.g. a FLOPs-matched baseline, overrides of its widths and depths: {@code --d-model N},
 * {@code --heads H} (each head gets N / H dimensions when either is given), {@code --layers E+D}
 * (encoder + decoder layers) and {@code --ffn F}. The config records the result, so a model says
 * what it is.
 */
public final class ModelSize {
  /** The options read here. */
  public static final List<String> OPTIONS = List.of("size", "d-model", "heads", "layers", "ffn");
  private static final Pattern LAYERS = Pattern.compile("(\\d+)\\+(\\d+)");

  private ModelSize() {}

  /** Whether any of the preset's sizes is overridden. */
  public static boolean overridden(Map<String, String> args) {
    return OPTIONS.stream().skip(1).anyMatch(args::containsKey);
  }

  /**
   * The preset's config for {@code vocabSize} with the overrides applied.
   *
   * @throws IllegalArgumentException naming the option to fix
   */
  public static HintConfig parse(Map<String, String> args, int vocabSize) {
    IntFunction<HintConfig> preset = switch (args.getOrDefault("size", "small")) {
      case "tiny" -> HintConfig::tiny;
      case "small" -> HintConfig::small;
      case "medium" -> HintConfig::medium;
      default -> throw new IllegalArgumentException("--size must be tiny, small or medium, got '" + args.get("size") + "'");
    };
    HintConfig base = preset.apply(vocabSize);
    HintConfig.Builder b = base.toBuilder();
    int d = args.containsKey("d-model") ? positive(args, "d-model") : base.dModel();
    int heads = args.containsKey("heads") ? positive(args, "heads") : base.numHeads();
    if (args.containsKey("d-model") || args.containsKey("heads")) {
      if (d % heads != 0) {
        throw new IllegalArgumentException("--d-model " + d + " is not a multiple of --heads " + heads
            + ": each head gets d-model / heads dimensions; choose sizes that divide");
      }
      b.dModel(d).numHeads(heads).headDim(d / heads);
    }
    if (args.containsKey("layers")) {
      Matcher m = LAYERS.matcher(args.get("layers"));
      int[] ed = m.matches() ? new int[] {wholeOrZero(m.group(1)), wholeOrZero(m.group(2))} : new int[2];
      if (ed[0] < 1 || ed[1] < 1) {
        throw new IllegalArgumentException("--layers must be ENCODER+DECODER with at least one of each, e.g. 2+2, got '"
            + args.get("layers") + "'");
      }
      b.encoderLayers(ed[0]).decoderLayers(ed[1]);
    }
    if (args.containsKey("ffn")) {
      b.ffnDim(positive(args, "ffn"));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the model size options give an invalid config: " + e.getMessage(), e);
    }
  }

  /** Widths and depths in a few words, e.g. "d=128, 4 heads of 32, ffn 256, 3+3 layers, vocab 444". */
  public static String describe(HintConfig c) {
    return "d=" + c.dModel() + ", " + c.numHeads() + " heads of " + c.headDim() + ", ffn " + c.ffnDim() + ", "
        + c.encoderLayers() + "+" + c.decoderLayers() + " layers, vocab " + c.vocabSize();
  }

  /** Elements of every parameter of the config (hypernetwork included). */
  public static long parameters(HintConfig c) {
    return parameters(c, name -> true);
  }

  /** Elements of the parameters whose names {@code which} accepts. */
  public static long parameters(HintConfig c, java.util.function.Predicate<String> which) {
    long n = 0;
    for (Map.Entry<String, long[]> e : HintWeights.shapes(c).entrySet()) {
      if (which.test(e.getKey())) {
        long size = 1;
        for (long dim : e.getValue()) {
          size *= dim;
        }
        n += size;
      }
    }
    return n;
  }

  private static int wholeOrZero(String digits) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return 0; // too large for an int: refused with the option's message
    }
  }

  private static int positive(Map<String, String> args, String option) {
    String v = args.get(option);
    try {
      int n = Integer.parseInt(v);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + option + " must be a whole number >= 1, got '" + v + "'");
    }
  }
}
