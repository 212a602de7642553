package dev.hint4j.examples.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.HintConfig;
import dev.hint4j.examples.suite.InstructionSuite;
import dev.hint4j.internal.io.SafeTensors;
import dev.hint4j.onnx.train.TrainingBatch;
import dev.hint4j.internal.tokenize.HintTokenizer;
import dev.hint4j.internal.tokenize.CharWordTokenizerJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hypernetwork pretraining: passages cut in three contiguous parts, deterministic batches, and a TrainCli run on a small corpus. */
class PretrainTest {
  static final String CORPUS = """
      The river runs past the old mill and turns the wheel that grinds the grain for the village. In spring the water rises \
      and the miller opens the gates so that the fields downstream do not flood, and the children watch the fish jump.

      A lamp stands on the desk beside a stack of letters that nobody has answered for weeks. The writer reads each one \
      slowly, takes a pen, and begins to reply to the oldest first, because it has waited the longest of them all.
      """;

  @Test
  void passagesAreContiguousSpansCutInThree(@TempDir Path dir) throws Exception {
    CharWordTokenizerJson vocab = CharWordTokenizerJson.withPieces(InstructionSuite.tokenizerPieces());
    Path file = dir.resolve("corpus.txt");
    Files.writeString(file, CORPUS);
    List<String> texts = PretrainBatches.readCorpus(List.of(file));
    assertThat(texts).hasSize(2);
    try (HintTokenizer t = HintTokenizer.load(new ByteArrayInputStream(vocab.toJson().getBytes(StandardCharsets.UTF_8)), 1024)) {
      HintConfig c = HintConfig.tiny(vocab.vocabSize());
      PretrainBatches p = new PretrainBatches(t, c, texts, 4, 9);
      String flat = String.join(" ", CORPUS.trim().split("\\s+"));
      SplittableRandom r = new SplittableRandom(3);
      for (int i = 0; i < 50; i++) {
        PretrainBatches.Passage x = p.passage(r);
        assertThat(x.instruction()).isNotBlank();
        assertThat(x.input()).isNotBlank();
        assertThat(x.target()).isNotBlank();
        assertThat(flat).contains(x.instruction() + " " + x.input() + " " + x.target());
      }
      TrainingBatch b1 = p.batch(5);
      TrainingBatch b2 = new PretrainBatches(t, c, texts, 4, 9).batch(5);
      assertThat(b1.inputIds()).usingRecursiveComparison().isEqualTo(b2.inputIds());
      assertThat(b1.targetIds()).allSatisfy(ids -> assertThat(ids.length).isLessThanOrEqualTo(c.maxTargetLength()));
    }
    assertThatThrownBy(() -> new PretrainBatches(null, null, List.of("too short"), 4, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one text");
  }

  @Test
  void trainCliPretrainsThenASuiteRunStartsFromItsWeights(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("corpus.txt");
    Files.writeString(file, CORPUS);
    TrainCli.main(new String[] {"--mode", "pretrain", "--corpus", file.toString(), "--size", "tiny", "--steps", "3", "--batch", "4",
        "--lr", "0.05", "--warmup", "1", "--eval-every", "3", "--checkpoint-every", "3", "--out", dir.resolve("pre").toString()});
    Path ckpt = dir.resolve("pre/checkpoint.safetensors");
    assertThat(ckpt).exists();
    TrainCli.main(new String[] {"--size", "tiny", "--steps", "2", "--batch", "4", "--lr", "1e-4", "--warmup", "1", "--eval-every", "2",
        "--checkpoint-every", "2", "--init-checkpoint", ckpt.toString(), "--out", dir.resolve("suite").toString()});
    SafeTensors.Contents pre = SafeTensors.read(ckpt);
    SafeTensors.Contents suite = SafeTensors.read(dir.resolve("suite/checkpoint.safetensors"));
    assertThat(suite.metadata().get("step")).isEqualTo("2"); // a fresh run, not a resumed one
    // Pretraining at lr 0.05 moved the weights far from their seeded start (AdamW: about lr per step);
    // two suite steps at lr 1e-4 move each by at most about 2e-4, so the suite run began at the pretrained weights.
    float[] a = pre.tensors().get("hyper.components").toArray();
    float[] b = suite.tensors().get("hyper.components").toArray();
    float[] seeded = dev.hint4j.onnx.arch.HintWeights.random(HintConfig.fromJson(pre.metadata().get("config")), 1)
        .get("hyper.components").toArray();
    double fromSeed = 0;
    for (int i = 0; i < a.length; i++) {
      assertThat((double) b[i]).isCloseTo(a[i], org.assertj.core.data.Offset.offset(2 * 1e-4 * 1.5));
      fromSeed = Math.max(fromSeed, Math.abs(a[i] - seeded[i]));
    }
    assertThat(fromSeed).as("pretraining moved the weights").isGreaterThan(0.05);
  }
}
