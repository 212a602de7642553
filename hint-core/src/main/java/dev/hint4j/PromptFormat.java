package dev.hint4j;

import java.util.List;

/**
 * How task text is laid out as model input. HINT feeds {@link #taskText} to the hypernetwork and the
 * bare input to the encoder; the concatenation baseline feeds {@link #concatenated} to the encoder.
 * Models are trained with this format, so it is part of the model contract.
 */
public final class PromptFormat {
  private PromptFormat() {}

  /** The instruction followed by the few-shot examples. */
  public static String taskText(String instruction, List<Example> examples) {
    StringBuilder sb = new StringBuilder(instruction.strip());
    for (Example e : examples) {
      sb.append(" Example input: ").append(e.input()).append(" Example output: ").append(e.output());
    }
    return sb.toString();
  }

  /** The baseline's encoder input: its {@link #concatenationPrompt prompt}, then the input to answer. */
  public static String concatenated(String instruction, List<Example> examples, String input) {
    return concatenationPrompt(instruction, examples) + input;
  }

  /**
   * What the baseline puts in front of every input: task text and separator. Its tokens are the
   * leading tokens of {@link #concatenated} that a model with a prompt segment bias marks as prompt
   * (counted by {@link dev.hint4j.internal.tokenize.HintTokenizer#sharedLeadingTokens}).
   */
  public static String concatenationPrompt(String instruction, List<Example> examples) {
    return taskText(instruction, examples) + " Input: ";
  }
}
