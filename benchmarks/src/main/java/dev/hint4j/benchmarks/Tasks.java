package dev.hint4j.benchmarks;

import dev.hint4j.Example;
import dev.hint4j.HintModel;
import dev.hint4j.TaskModule;
import java.util.List;

/** The task a benchmark configuration runs: no instruction, instruction concatenation, or HINT. */
final class Tasks {
  private Tasks() {}

  /**
   * @param mode "hint" or "concat"
   * @param taskTokens tokens of instruction plus examples; 0 = no instruction (the plain model, for either mode)
   */
  static TaskModule task(HintModel model, Workloads w, String mode, int taskTokens, int shots) {
    List<Example> examples = w.examples(shots);
    if (taskTokens == 0 && shots == 0) {
      return model.concatenationTask("", List.of());
    }
    String instruction = w.instruction(taskTokens, examples, taskTokens);
    return switch (mode) {
      case "hint" -> model.compile(instruction, examples);
      case "concat" -> model.concatenationTask(instruction, examples);
      default -> throw new IllegalArgumentException("mode must be hint or concat, not " + mode);
    };
  }
}
