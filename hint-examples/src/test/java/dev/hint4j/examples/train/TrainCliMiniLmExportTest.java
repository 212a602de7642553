package dev.hint4j.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.BoundTask;
import dev.hint4j.HintModel;
import dev.hint4j.onnx.runtime.MiniLmInstructionStates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TrainCli with --instruction-states minilm exports a model with --export-model (here of the seeded
 * initialization: no checkpoint, so no training, which keeps the test short), and it runs; a new run
 * started from such a checkpoint continues with the pretrained states.
 */
class TrainCliMiniLmExportTest {
  @Test
  void aMiniLmRunExportsALoadableModel(@TempDir Path dir) {
    String run = dir.resolve("run").toString();
    TrainCli.main(new String[] {"--instruction-states", "minilm", "--size", "tiny", "--steps", "2", "--batch", "4",
        "--per-task", "2", "--warmup", "1", "--out", run, "--export-model", dir.resolve("exported").toString()});
    try (HintModel exported = HintModel.builder().modelDir(dir.resolve("exported")).build();
        BoundTask task = exported.bind(exported.compile("Copy the word."))) {
      assertThat(exported.config().pretrainedInstructionEncoder()).isEqualTo(MiniLmInstructionStates.encoder());
      assertThat(exported.manifest().pretrainedEncoderSha256()).isEqualTo(MiniLmInstructionStates.graphSha256());
      double score = task.score("lamp", "lamp");
      assertThat(score).isFinite().isNegative();
    }
  }

  /**
   * --init-checkpoint of a MiniLM run's checkpoint implies the option: the new run's starting point,
   * exported before it trains, has the same graphs, byte for byte, as the first run's final model (so
   * every weight, the states' projection included, carried over), and it trains with the states
   * (the train-step graphs need them). A checkpoint without the states refuses --instruction-states minilm.
   */
  @Test
  void aMiniLmCheckpointContinuesWithItsStates(@TempDir Path dir) throws IOException {
    String[] tiny = {"--size", "tiny", "--steps", "2", "--batch", "4", "--per-task", "2", "--warmup", "1", "--eval-every", "2",
        "--checkpoint-every", "2"};
    Path first = dir.resolve("first");
    TrainCli.main(concat(tiny, "--instruction-states", "minilm", "--out", first.toString()));
    Path start = dir.resolve("start");
    TrainCli.main(concat(tiny, "--init-checkpoint", first.resolve("checkpoint.safetensors").toString(),
        "--out", dir.resolve("second").toString(), "--export-model", start.toString()));
    for (String graph : new String[] {"hypernetwork.onnx", "encoder.onnx", "decoder.onnx"}) {
      assertThat(Files.readAllBytes(start.resolve(graph))).as(graph).isEqualTo(Files.readAllBytes(first.resolve("model").resolve(graph)));
    }
    Path second = dir.resolve("second-trained");
    TrainCli.main(concat(tiny, "--init-checkpoint", first.resolve("checkpoint.safetensors").toString(), "--out", second.toString()));
    assertThat(Files.readAllBytes(second.resolve("model").resolve("decoder.onnx")))
        .isNotEqualTo(Files.readAllBytes(first.resolve("model").resolve("decoder.onnx")));
    try (HintModel model = HintModel.builder().modelDir(second.resolve("model")).build();
        BoundTask task = model.bind(model.compile("Copy the word."))) {
      assertThat(model.config().pretrainedInstructionEncoder()).isEqualTo(MiniLmInstructionStates.encoder());
      assertThat(model.manifest().description()).endsWith(", started from an earlier run's checkpoint");
      assertThat(task.score("lamp", "lamp")).isFinite().isNegative();
    }

    Path plain = dir.resolve("plain");
    TrainCli.main(concat(tiny, "--out", plain.toString()));
    assertThatThrownBy(() -> TrainCli.main(concat(tiny, "--instruction-states", "minilm", "--init-checkpoint",
        plain.resolve("checkpoint.safetensors").toString(), "--out", dir.resolve("third").toString())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trained without pretrained instruction states");
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
