package dev.hint4j.internal.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hint4j.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HintTokenizerTest {
  static TokenizerJsonWriter writer;
  static HintTokenizer tokenizer;

  @BeforeAll
  static void load() {
    writer = TokenizerJsonWriter.withWords(TokenizerJsonWriter.defaultWords());
    tokenizer = HintTokenizer.load(new ByteArrayInputStream(writer.toJson().getBytes(StandardCharsets.UTF_8)), 64);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void specialsAndVocabularyArePlacedAsWritten() {
    assertThat(writer.pieces().subList(0, 3)).containsExactly("<pad>", "</s>", "<unk>");
    assertThat(tokenizer.vocabSize()).isEqualTo(writer.vocabSize());
    long[] ids = tokenizer.encode("reverse the word");
    assertThat(ids).hasSize(4).endsWith(1L); // three listed words, one token each, then EOS
    assertThat(writer.pieces().get((int) ids[0])).isEqualTo("\u2581reverse");
  }

  /**
   * The prompt's share of a concatenated text, for a Metaspace vocabulary (where the separator's
   * trailing space joins the input's first token) and a character vocabulary (where it is a token
   * of its own): the shared tokens decode to the prompt, the rest to the input; a truncated text
   * does not count its final EOS, and an unrelated prefix shares nothing.
   */
  @Test
  void sharedLeadingTokensAreThePromptsShareOfAConcatenatedText() {
    List<dev.hint4j.Example> shots = List.of(dev.hint4j.Example.of("abc", "cba"));
    String prompt = dev.hint4j.PromptFormat.concatenationPrompt("Reverse the word.", shots);
    String text = dev.hint4j.PromptFormat.concatenated("Reverse the word.", shots, "hello");
    long[] ids = tokenizer.encode(text);
    int n = tokenizer.sharedLeadingTokens(ids, prompt);
    assertThat(tokenizer.decode(java.util.Arrays.copyOf(ids, n))).isEqualTo(prompt.stripTrailing());
    assertThat(tokenizer.decode(java.util.Arrays.copyOfRange(ids, n, ids.length))).isEqualTo("hello");
    assertThat(tokenizer.concatenationPromptTokens(ids, "Reverse the word.", shots)).isEqualTo(n);
    assertThat(tokenizer.concatenationPromptTokens(ids, "Reverse the word.", List.of())).isLessThan(n);

    long[] cut = java.util.Arrays.copyOf(ids, 5);
    cut[4] = ids[ids.length - 1]; // EOS, as truncation leaves it
    assertThat(tokenizer.sharedLeadingTokens(cut, prompt)).isEqualTo(4);
    assertThat(tokenizer.sharedLeadingTokens(ids, "Copy the word. Input: ")).isZero();

    String chars = CharWordTokenizerJson.withWords(List.of("Reverse", "word", "Input", "Example")).toJson();
    try (HintTokenizer t = HintTokenizer.load(new ByteArrayInputStream(chars.getBytes(StandardCharsets.UTF_8)), 128)) {
      long[] c = t.encode(text);
      int m = t.sharedLeadingTokens(c, prompt);
      assertThat(t.decode(java.util.Arrays.copyOf(c, m))).isEqualTo(prompt); // its trailing space included
      assertThat(t.decode(java.util.Arrays.copyOfRange(c, m, c.length))).isEqualTo("hello");
      assertThat(m).isEqualTo(t.encode(prompt).length - 1);
    }
  }

  @Test
  void unlistedWordsAreSpelledOutLetterByLetter() {
    long[] ids = tokenizer.encode("qzx");
    assertThat(ids).hasSize(4);
    assertThat(writer.pieces().get((int) ids[0])).isEqualTo("\u2581q");
    assertThat(writer.pieces().get((int) ids[1])).isEqualTo("z");
  }

  /** Every printable ASCII text round-trips, except that one leading space is dropped (as in T5's SentencePiece). */
  @Test
  void printableAsciiRoundTrips() {
    assertThat(tokenizer.decode(tokenizer.encode(" a  b  "))).isEqualTo("a  b  ");
    SplittableRandom r = new SplittableRandom(1);
    for (int n = 0; n < 200; n++) {
      StringBuilder sb = new StringBuilder();
      int len = 1 + r.nextInt(20);
      for (int i = 0; i < len; i++) {
        sb.append((char) (32 + r.nextInt(95)));
      }
      String s = sb.toString();
      String expected = s.startsWith(" ") ? s.substring(1) : s;
      assertThat(tokenizer.decode(tokenizer.encodeTruncating(s))).as("'%s'", s).isEqualTo(expected);
    }
  }

  @Test
  void lengthLimitsAreEnforcedOrTruncated() {
    String longText = "a b c d e f g h ".repeat(10);
    assertThatThrownBy(() -> tokenizer.encode(longText)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("limit of 64");
    long[] cut = tokenizer.encodeTruncating(longText);
    assertThat(cut).hasSize(64).endsWith(1L);
  }

  @Test
  void concurrentEncodingEqualsSerial() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      texts.add("replace letter " + i + " with star " + (i * 7));
    }
    List<long[]> serial = texts.stream().map(tokenizer::encode).toList();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<long[]>> f = new ArrayList<>();
      for (String t : texts) {
        f.add(pool.submit(() -> tokenizer.encode(t)));
      }
      for (int i = 0; i < texts.size(); i++) {
        assertThat(f.get(i).get(30, TimeUnit.SECONDS)).containsExactly(serial.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeIsIdempotentAndFinal() {
    HintTokenizer t = HintTokenizer.load(new ByteArrayInputStream(writer.toJson().getBytes(StandardCharsets.UTF_8)), 8);
    t.close();
    t.close();
    assertThatThrownBy(() -> t.encode("a")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void writeIsAtomicAndLeavesNoTemporaryFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokenizer.json");
    writer.write(file);
    writer.write(file);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("tokenizer.json");
    }
    try (HintTokenizer t = HintTokenizer.load(file, 16)) {
      assertThat(t.encode("sort")).hasSize(2);
    }
  }
}
