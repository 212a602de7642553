package dev.hint4j.examples.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.BoundTask;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.internal.io.SafeTensors;
import dev.hint4j.internal.tokenize.TokenizerJsonWriter;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.export.HfT5Checkpoint;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TrainCli starting from a Hugging Face T5 checkpoint: a few steps on the suite, then a loadable model. */
class TrainCliInitHfTest {
  @Test
  void trainsFromAnHfCheckpointAndExportsAModelWithItsTokenizer(@TempDir Path dir) {
    TokenizerJsonWriter vocab = TokenizerJsonWriter.withWords(TokenizerJsonWriter.defaultWords()); // not the suite's vocabulary
    HintWeights t5 = HintWeights.random(HintConfig.tiny(vocab.vocabSize()), 5);
    HfT5Checkpoint.export(t5, vocab.toJson(), dir.resolve("hf"), SafeTensors.Dtype.F32);

    TrainCli.main(new String[] {"--init-hf", dir.resolve("hf").toString(), "--steps", "3", "--batch", "4", "--warmup", "1",
        "--eval-every", "3", "--checkpoint-every", "3", "--out", dir.resolve("run").toString()});

    try (HintModel model = HintModel.builder().modelDir(dir.resolve("run/model")).build();
        BoundTask task = model.bind(model.compile("Copy the word."))) {
      assertThat(model.config().dModel()).isEqualTo(t5.config().dModel());
      assertThat(model.config().vocabSize()).isEqualTo(vocab.vocabSize());
      assertThat(model.config().adapterSize()).isEqualTo(HfT5Checkpoint.Sizes.defaults().adapterSize());
      // Its tokenizer is the checkpoint's (the listed word "reverse" is one token there), and the
      // trained weights give a finite log-probability, the same on every call.
      assertThat(model.tokenizer().encode("reverse")).hasSize(2);
      double score = task.score("lamp", "lamp");
      assertThat(score).isFinite().isNegative().isEqualTo(task.score("lamp", "lamp"));
    }
    Path log = dir.resolve("run/train-log.csv");
    assertThat(log).exists();
    assertThat(dir.resolve("run/train-log.png")).exists();
    assertThat(readLines(log)).hasSize(2).first().isEqualTo(TrainingLog.HEADER);
    // Resumed to step 5: the same log continues (row of step 3 kept, row of step 5 appended).
    TrainCli.main(new String[] {"--init-hf", dir.resolve("hf").toString(), "--steps", "5", "--batch", "4", "--warmup", "1",
        "--eval-every", "5", "--checkpoint-every", "5", "--out", dir.resolve("run").toString()});
    List<String> lines = readLines(log);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1)).startsWith("3,");
    assertThat(lines.get(2)).startsWith("5,");
    assertThat(TrainingLog.Row.parse(lines.get(2)).elapsedSeconds()).isGreaterThan(TrainingLog.Row.parse(lines.get(1)).elapsedSeconds());
  }

  private static List<String> readLines(Path p) {
    try {
      return java.nio.file.Files.readAllLines(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
