package dev.hint4j.examples.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hint4j.BoundTask;
import dev.hint4j.HintConfig;
import dev.hint4j.HintModel;
import dev.hint4j.io.SafeTensors;
import dev.hint4j.onnx.arch.HintWeights;
import dev.hint4j.onnx.export.HfT5Checkpoint;
import dev.hint4j.tokenize.TokenizerJsonWriter;
import java.nio.file.Path;
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
  }
}
