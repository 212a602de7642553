package dev.hint4j.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.IncompatibleModuleException;
import dev.hint4j.Precision;
import dev.hint4j.TaskModule;
import dev.hint4j.Tokenizer;
import dev.hint4j.tensor.FloatTensor;
import dev.hint4j.onnx.testing.TinyModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** What issue 16 settled about the public surface: beam search everywhere, module identity and shapes, the tokenizer view. */
class PublicSurfaceTest {
  @AutoClose static final HintModel model = TinyModel.open();

  @Test
  void oneBeamIsGreedyAndBeamSearchWorksInEveryBatchCall() {
    try (BoundTask a = model.bind(model.compile("Reverse the word."));
         BoundTask b = model.bind(model.compile("Count the letters."))) {
      List<String> inputs = List.of("abc", "hello", "xyz");
      for (String in : inputs) {
        assertThat(a.generate(in, GenerationConfig.beam(1, 12))).isEqualTo(a.generate(in, GenerationConfig.greedy(12)));
      }
      GenerationConfig beam = GenerationConfig.beam(3, 12);
      List<String> one = inputs.stream().map(in -> a.generate(in, beam)).toList();
      assertThat(a.generateBatch(inputs, beam)).isEqualTo(one);
      assertThat(model.generateMixed(List.of(a, b, a), inputs, beam))
          .containsExactly(one.get(0), b.generate("hello", beam), one.get(2));
    }
  }

  @Test
  void float16ModuleIsTheSameModule() {
    TaskModule task = model.compile("Reverse the word.");
    TaskModule half = TaskModule.fromBytes(task.toBytes(Precision.FLOAT16), model.fingerprint());
    assertThat(half).isEqualTo(task).hasSameHashCodeAs(task);
    assertThat(half.id()).isEqualTo(task.id());
  }

  @Test
  void bindRefusesModulesThatDoNotFitTheModel() {
    TaskModule task = model.compile("Reverse the word.");
    Map<String, FloatTensor> tensors = new LinkedHashMap<>(task.tensors());
    String some = tensors.keySet().stream().filter(n -> n.contains("adapter_down")).findFirst().orElseThrow();
    FloatTensor right = tensors.get(some);
    long[] wrongShape = right.shape().clone();
    wrongShape[wrongShape.length - 1] += 1;
    tensors.put(some, FloatTensor.zeros(wrongShape));
    assertThatThrownBy(() -> model.bind(copy(task, tensors))).isInstanceOf(IncompatibleModuleException.class)
        .hasMessageContaining(some).hasMessageContaining("expected");

    tensors.put(some, right);
    FloatTensor mask = tensors.get("instruction_mask");
    tensors.put("instruction_mask", FloatTensor.zeros(1, mask.dim(1) + 1)); // disagrees with the cross keys
    assertThatThrownBy(() -> model.bind(copy(task, tensors))).isInstanceOf(IncompatibleModuleException.class)
        .hasMessageContaining("instruction_length");

    tensors.put("instruction_mask", mask);
    tensors.remove(some);
    assertThatThrownBy(() -> model.bind(copy(task, tensors))).isInstanceOf(IncompatibleModuleException.class)
        .hasMessageContaining("has no tensor '" + some + "'");

    tensors.put(some, right);
    tensors.put("extra", FloatTensor.zeros(1, 1));
    assertThatThrownBy(() -> model.bind(copy(task, tensors))).isInstanceOf(IncompatibleModuleException.class)
        .hasMessageContaining("'extra'");

    tensors.remove("extra");
    try (BoundTask ok = model.bind(copy(task, tensors))) {
      assertThat(ok.generate("abc")).isNotNull();
    }
  }

  @Test
  void theModelsTokenizerCannotBeClosed() {
    Tokenizer t = model.tokenizer();
    assertThat(t).isNotInstanceOf(AutoCloseable.class);
    assertThat(t.decode(t.encode("abc"))).isEqualTo("abc");
    try (HintModel other = HintModel.builder().modelDir(TinyModel.dir()).build()) {
      Tokenizer own = other.tokenizer();
      other.close();
      assertThatThrownBy(() -> own.encode("abc")).isInstanceOf(IllegalStateException.class);
    }
  }

  private static TaskModule copy(TaskModule task, Map<String, FloatTensor> tensors) {
    return new TaskModule(task.modelFingerprint(), task.kind(), task.instruction(), task.examples(), tensors);
  }
}
