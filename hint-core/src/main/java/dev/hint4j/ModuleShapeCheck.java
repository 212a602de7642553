package dev.hint4j;

import dev.hint4j.tensor.FloatTensor;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The bind-time check of a module against its model's manifest: the same tensor names, and each
 * tensor of the declared shape ({@code module_batch} = 1, one {@code instruction_length} shared
 * by all tensors and within the model's instruction limit). A module that passes cannot make a
 * graph run fail on shapes; one that does not is refused before any native tensor is made.
 */
final class ModuleShapeCheck {
  private ModuleShapeCheck() {}

  /**
   * Most tokens a pretrained instruction encoder adds to the instruction memory: the position limit
   * of BERT-family sentence encoders (all-MiniLM-L6-v2 is run truncated at 256).
   */
  static final int MAX_PRETRAINED_TOKENS = 512;

  static void check(TaskModule task, ModelManifest manifest) {
    Set<String> expected = new HashSet<>();
    long instructionLength = -1;
    // With a pretrained instruction encoder its states follow the instruction's own tokens in the memory.
    int maxInstruction = manifest.config().maxInstructionLength()
        + (manifest.config().pretrainedInstructionEncoder() == null ? 0 : MAX_PRETRAINED_TOKENS);
    for (ModelManifest.ModuleTensorSpec spec : manifest.moduleTensors()) {
      expected.add(spec.name());
      FloatTensor t = task.tensors().get(spec.name());
      if (t == null) {
        throw refuse(task, "has no tensor '" + spec.name() + "'");
      }
      List<Object> dims = spec.dims();
      if (t.rank() != dims.size()) {
        throw refuse(task, "tensor '" + spec.name() + "' has shape " + Arrays.toString(t.shape()) + ", expected " + dims);
      }
      for (int axis = 0; axis < dims.size(); axis++) {
        long got = t.dim(axis);
        Object want = dims.get(axis);
        boolean ok;
        if ("module_batch".equals(want)) {
          ok = got == 1;
        } else if ("instruction_length".equals(want)) {
          if (instructionLength == -1) {
            instructionLength = got;
          }
          ok = got == instructionLength && got >= 1 && got <= maxInstruction;
        } else {
          ok = want instanceof Number n && got == n.longValue();
        }
        if (!ok) {
          throw refuse(task, "tensor '" + spec.name() + "' has shape " + Arrays.toString(t.shape()) + ", expected " + dims
              + " (module_batch 1, one instruction_length of 1.." + maxInstruction + " for every tensor)");
        }
      }
    }
    for (String name : task.tensors().keySet()) {
      if (!expected.contains(name)) {
        throw refuse(task, "has tensor '" + name + "', which this model's module layout does not have");
      }
    }
  }

  private static IncompatibleModuleException refuse(TaskModule task, String what) {
    return new IncompatibleModuleException("task " + task.id().substring(0, 12) + " " + what
        + "; it does not fit this model: compile the task with this model");
  }
}
