package dev.hint4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Streaming text per row: each token's report is what its row's whole decoded text gained. */
class TokenStreamTest {
  record Heard(int row, long token, String text) {}

  @Test
  void reportsEachRowsGrowthSeparately() {
    List<Heard> heard = new ArrayList<>();
    // token t decodes to the letter 'a' + t; a row's text is its letters
    TokenStream stream = new TokenStream(2, ids -> Arrays.stream(ids).mapToObj(t -> String.valueOf((char) ('a' + t)))
        .collect(Collectors.joining()), (row, token, text) -> heard.add(new Heard(row, token, text)));
    stream.onToken(0, 0);
    stream.onToken(1, 2);
    stream.onToken(0, 1);
    stream.onToken(1, 3);
    assertThat(heard).containsExactly(new Heard(0, 0, "a"), new Heard(1, 2, "c"), new Heard(0, 1, "b"), new Heard(1, 3, "d"));
  }

  @Test
  void aTokenThatCompletesACharacterReportsTheCharacterOnce() {
    List<String> heard = new ArrayList<>();
    // ids 1 and 2 are the two halves of "é": alone, a half decodes to nothing
    TokenStream stream = new TokenStream(1, ids -> {
      String s = Arrays.stream(ids).mapToObj(t -> t == 0 ? "x" : "").collect(Collectors.joining());
      boolean both = Arrays.stream(ids).anyMatch(t -> t == 1) && Arrays.stream(ids).anyMatch(t -> t == 2);
      return both ? s.substring(0, 1) + "é" + s.substring(1) : s;
    }, (row, token, text) -> heard.add(text));
    stream.onToken(0, 0);
    stream.onToken(0, 1);
    stream.onToken(0, 2);
    stream.onToken(0, 0);
    assertThat(heard).containsExactly("x", "", "é", "x");
    assertThat(String.join("", heard)).isEqualTo("xéx");
  }

  @Test
  void whenTheTextIsRewrittenTheWholeTextIsReported() {
    List<String> heard = new ArrayList<>();
    // a decoder that drops a trailing space until a word follows, and here rewrites "a " as "A"
    TokenStream stream = new TokenStream(1, ids -> ids.length == 1 ? "a " : "A" + "b".repeat(ids.length - 1),
        (row, token, text) -> heard.add(text));
    stream.onToken(0, 5);
    stream.onToken(0, 6);
    assertThat(heard).containsExactly("a ", "Ab");
  }

  @Test
  void longRowsKeepEveryToken() {
    List<String> heard = new ArrayList<>();
    TokenStream stream = new TokenStream(1, ids -> Arrays.stream(ids).mapToObj(Long::toString).collect(Collectors.joining(",")),
        (row, token, text) -> heard.add(text));
    for (int t = 0; t < 20; t++) { // past the first buffer of 8
      stream.onToken(0, t);
    }
    assertThat(String.join("", heard)).isEqualTo(String.join(",", java.util.stream.IntStream.range(0, 20).mapToObj(Integer::toString).toList()));
  }
}
