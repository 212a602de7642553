package dev.hint4j.internal.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CharWordTokenizerJsonTest {
  static CharWordTokenizerJson writer;
  static HintTokenizer tokenizer;

  @BeforeAll
  static void load() {
    writer = CharWordTokenizerJson.withWords(List.of("reverse", "the", "word", "Reverse", "letters", "a", "it"));
    tokenizer = HintTokenizer.load(new ByteArrayInputStream(writer.toJson().getBytes(StandardCharsets.UTF_8)), 256);
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void vocabularyIsSpecialsCharactersThenWordsWithAndWithoutTheirSpace() {
    assertThat(writer.pieces().subList(0, 3)).containsExactly("<pad>", "</s>", "<unk>");
    assertThat(tokenizer.vocabSize()).isEqualTo(writer.vocabSize()).isEqualTo(3 + 2 + 95 + 2 * 6);
    assertThat(writer.pieces()).doesNotContain(" a"); // one-letter words stay characters
  }

  @Test
  void listedWordsAreOneTokenWithTheirLeadingSpace() {
    long[] ids = tokenizer.encode("Reverse the word.");
    assertThat(ids).hasSize(5).endsWith(1L);
    assertThat(pieces(ids)).containsExactly("Reverse", " the", " word", ".", "</s>");
  }

  @Test
  void aLetterHasOneIdWhereverItStands() {
    long[] ids = tokenizer.encode("ab ba");
    assertThat(pieces(ids)).containsExactly("a", "b", " ", "b", "a", "</s>");
    assertThat(ids[0]).isEqualTo(ids[4]);
    assertThat(ids[1]).isEqualTo(ids[3]);
  }

  @Test
  void unlistedWordsAndListedWordsInsideLongerWordsAreSpelledOut() {
    assertThat(pieces(tokenizer.encode("other"))).containsExactly("o", "t", "h", "e", "r", "</s>");
    assertThat(pieces(tokenizer.encode("theword"))).hasSize(8);
    assertThat(pieces(tokenizer.encode("the_word"))).hasSize(9); // '_' is a word character: no boundary
    assertThat(pieces(tokenizer.encode("'the'"))).containsExactly("'", "the", "'", "</s>");
    assertThat(pieces(tokenizer.encode("THE"))).hasSize(4); // case is kept: THE is not listed
  }

  @Test
  void onlyCharactersOutsidePrintableAsciiAreUnknown() {
    for (char c = 32; c < 127; c++) {
      assertThat(tokenizer.encode(String.valueOf(c))).as("'%s'", c).hasSize(2).doesNotContain(2L);
    }
    assertThat(tokenizer.encode("é")).containsExactly(2L, 1L);
  }

  @Test
  void decodingGivesTheTextBackExactly() {
    SplittableRandom r = new SplittableRandom(5);
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_+.*,;:!?'\"()/\\|#@&~=<>[]{}^%$`";
    for (int i = 0; i < 500; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + r.nextInt(20);
      for (int k = 0; k < n; k++) {
        sb.append(r.nextInt(4) == 0 ? " the " : String.valueOf(alphabet.charAt(r.nextInt(alphabet.length()))));
      }
      String s = sb.toString();
      assertThat(tokenizer.decode(tokenizer.encode(s))).isEqualTo(s);
    }
    assertThat(tokenizer.decode(tokenizer.encode("  two  spaces\nand a line "))).isEqualTo("  two  spaces\nand a line ");
  }

  @Test
  void aFormNotListedIsSpelledOut() {
    CharWordTokenizerJson spacedOnly = CharWordTokenizerJson.withPieces(List.of(" hide", "Hide"));
    try (HintTokenizer t = HintTokenizer.load(new ByteArrayInputStream(spacedOnly.toJson().getBytes(StandardCharsets.UTF_8)), 64)) {
      List<String> p = spacedOnly.pieces();
      assertThat(java.util.Arrays.stream(t.encode("hide it, Hide hide")).mapToObj(id -> p.get((int) id)).toList())
          .containsExactly("h", "i", "d", "e", " ", "i", "t", ",", " ", "Hide", " hide", "</s>");
      assertThat(t.decode(t.encode("hide it, Hide hide"))).isEqualTo("hide it, Hide hide");
    }
  }

  @Test
  void wordsMustBeLetters() {
    assertThatThrownBy(() -> CharWordTokenizerJson.withWords(List.of("don't"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ASCII letters");
  }

  private static List<String> pieces(long[] ids) {
    return java.util.Arrays.stream(ids).mapToObj(id -> writer.pieces().get((int) id)).toList();
  }
}
