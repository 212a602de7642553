package dev.hint4j.examples.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.BoundTask;
import dev.hint4j.HintModel;
import dev.hint4j.onnx.runtime.MiniLmInstructionStates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TrainCli with --instruction-states minilm exports a model with --export-model (here of the seeded
 * initialization: no checkpoint, so no training, which keeps the test short), and it runs.
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
}
