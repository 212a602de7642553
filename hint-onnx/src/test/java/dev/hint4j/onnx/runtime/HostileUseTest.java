package dev.hint4j.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.hint4j.BoundTask;
import dev.hint4j.GenerationConfig;
import dev.hint4j.HintModel;
import dev.hint4j.InvalidInputException;
import dev.hint4j.LengthPolicy;
import dev.hint4j.TaskModule;
import dev.hint4j.TaskModuleCache;
import dev.hint4j.UnknownTokenPolicy;
import dev.hint4j.onnx.testing.TinyModel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The cases of issue 15, each through the public API as a careless or hostile caller would use
 * it: re-entrant close, text far over the limits, characters outside the vocabulary, blank and
 * null arguments, generation past the model's target length, calls on a closed model.
 */
class HostileUseTest {
  static final GenerationConfig GREEDY = GenerationConfig.greedy(8).withMinNewTokens(8);
  /** Generous: the tiny model answers in milliseconds; only a deadlock takes this long. */
  static final Duration NO_HANG = Duration.ofSeconds(60);

  @AutoClose static final HintModel model = TinyModel.open();

  // ---- re-entrant close from a TokenListener: refused, nothing wedged ----

  // Each runs wholly (its own model included) under a preemptive timeout: on a regression the
  // stuck thread keeps its locks, so even closing that model afterwards would hang the build.

  @Test
  void closingTheTaskFromItsListenerIsRefusedAndTheTaskStaysUsable() {
    assertTimeoutPreemptively(NO_HANG, () -> {
      try (HintModel m = HintModel.builder().modelDir(TinyModel.dir()).build()) {
        BoundTask bound = m.bind(m.compile("Reverse."));
        String expected = bound.generate("abc", GREEDY);
        assertThatThrownBy(() -> bound.generate("abc", GREEDY, (row, id, text) -> bound.close()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("BoundTask.close()").hasMessageContaining("TokenListener");
        assertThat(bound.generate("abc", GREEDY)).isEqualTo(expected);
        bound.close(); // after the call: closes normally
        assertThatThrownBy(() -> bound.generate("abc", GREEDY)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("BoundTask is closed");
      }
    });
  }

  @Test
  void closingTheModelFromAListenerIsRefusedAndOtherThreadsCarryOn() {
    assertTimeoutPreemptively(NO_HANG, () -> {
      HintModel m = HintModel.builder().modelDir(TinyModel.dir()).build();
      BoundTask a = m.bind(m.compile("Reverse."));
      BoundTask b = m.bind(m.compile("Sort the letters."));
      String expectedB = b.generate("dcba", GREEDY);
      assertThatThrownBy(() -> a.generate("abc", GREEDY, (row, id, text) -> m.close()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("HintModel.close()").hasMessageContaining("TokenListener");
      // Another thread, another task, and compile all still answer.
      String other = CompletableFuture.supplyAsync(() -> b.generate("dcba", GREEDY)).get(30, TimeUnit.SECONDS);
      assertThat(other).isEqualTo(expectedB);
      assertThat(CompletableFuture.supplyAsync(() -> m.compile("Reverse.")).get(30, TimeUnit.SECONDS))
          .isEqualTo(m.compile("Reverse."));
      m.close();
      assertThatThrownBy(() -> a.generate("abc", GREEDY)).isInstanceOf(IllegalStateException.class);
    });
  }

  // ---- LengthPolicy.TRUNCATE above the tokenizer's own cap ----

  /** {@code n} one-token words ("x" → "▁x") and EOS: exactly n + 1 tokens. */
  static String words(int n) {
    return "x ".repeat(n).strip();
  }

  @Test
  void truncateKeepsTheFirstTokensOfAnyLongInput() {
    int limit = model.config().maxInputLength();
    assertThat(model.tokenizer().encode(words(limit - 1))).hasSize(limit); // the test's premise
    int beyondTokenizerCap = model.tokenizer().maxLength() + 800;
    try (HintModel truncating = HintModel.builder().modelDir(TinyModel.dir()).lengthPolicy(LengthPolicy.TRUNCATE).build();
        BoundTask bound = truncating.bind(truncating.compile("Reverse."))) {
      // Truncated to limit-1 words and EOS: the same encoder input as exactly limit-1 words.
      String expected = bound.generate(words(limit - 1), GREEDY);
      assertThat(bound.generate(words(beyondTokenizerCap), GREEDY)).isEqualTo(expected);
      assertThat(bound.score(words(beyondTokenizerCap), "x")).isEqualTo(bound.score(words(limit - 1), "x"));
      // One word fewer is a different input, so the equality above is not trivially true.
      assertThat(bound.score(words(limit - 2), "x")).isNotEqualTo(bound.score(words(limit - 1), "x"));
    }
  }

  @Test
  void truncateKeepsTheFirstTokensOfAMegabyteInstruction() {
    int limit = model.config().maxInstructionLength();
    String megabyte = words(512 * 1024); // 1 MiB of text, 512k tokens
    try (HintModel truncating = HintModel.builder().modelDir(TinyModel.dir()).lengthPolicy(LengthPolicy.TRUNCATE).build()) {
      TaskModule huge = truncating.compile(megabyte);
      TaskModule justOver = truncating.compile(words(limit + 3)); // also truncated, under the tokenizer's cap
      assertThat(huge.tensor("instruction_mask").shape()).containsExactly(1L, (long) limit);
      assertThat(huge.tensors()).isEqualTo(justOver.tensors());
    }
    // The default policy refuses it, naming the model's limit and the option (nothing the user never met).
    assertThatThrownBy(() -> model.compile(megabyte)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("limit of " + limit).hasMessageContaining("LengthPolicy.TRUNCATE")
        .hasMessageNotContaining("encodeTruncating");
  }

  // ---- generation past the model's target length ----

  @Test
  void moreNewTokensThanTheTargetLengthAreRefused() {
    int max = model.config().maxTargetLength();
    GenerationConfig tooLong = GenerationConfig.greedy(4096).withMinNewTokens(4096);
    try (BoundTask bound = model.bind(model.compile("Reverse."))) {
      assertThatThrownBy(() -> bound.generate("abc", tooLong)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("maxNewTokens").hasMessageContaining("target length of " + max);
      assertThatThrownBy(() -> bound.generateBatch(List.of("abc", "de"), tooLong)).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> bound.generate("abc", GenerationConfig.beam(2, max + 1))).isInstanceOf(InvalidInputException.class);
      try (BoundTask other = model.bind(model.compile("Sort the letters."))) {
        assertThatThrownBy(() -> model.generateMixed(List.of(bound, other), List.of("abc", "de"), tooLong))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("maxNewTokens");
      }
      // The model's own length is allowed and never exceeded.
      String full = bound.generate("abc", GenerationConfig.greedy(max).withMinNewTokens(max));
      assertThat(model.tokenizer().encode(full).length - 1).isLessThanOrEqualTo(max);
    }
  }

  // ---- blank and null arguments ----

  @Test
  void blankInputIsRefused() {
    try (BoundTask bound = model.bind(model.compile("Reverse."))) {
      for (String blank : List.of("", "   ", "\t\n")) {
        assertThatThrownBy(() -> bound.generate(blank)).as("'%s'", blank).isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("input is blank");
        assertThatThrownBy(() -> bound.score(blank, "x")).isInstanceOf(InvalidInputException.class);
      }
      assertThatThrownBy(() -> bound.generateBatch(List.of("abc", " "), GREEDY)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("input at row 1 is blank");
    }
    try (BoundTask plain = model.bind(model.concatenationTask("", List.of()))) {
      assertThatThrownBy(() -> plain.generate(" ")).isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void nullsAreNamed() {
    TaskModuleCache cache = new TaskModuleCache(1 << 20);
    assertThatThrownBy(() -> cache.getOrCompile(model, null, List.of())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("instruction");
    assertThatThrownBy(() -> cache.getOrCompile(model, "Reverse.", null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("examples");
    assertThatThrownBy(() -> cache.getOrCompile(null, "Reverse.", List.of())).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("model");
    try (BoundTask a = model.bind(model.compile("Reverse.")); BoundTask b = model.bind(model.compile("Sort the letters."))) {
      assertThatThrownBy(() -> model.generateMixed(Arrays.asList(a, null), List.of("abc", "de"), GREEDY))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("task at row 1 is null");
      assertThatThrownBy(() -> model.generateMixed(List.of(a, b), Arrays.asList("abc", null), GREEDY))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("input at row 1");
      assertThatThrownBy(() -> model.generateMixed(null, List.of(), GREEDY)).isInstanceOf(NullPointerException.class)
          .hasMessageContaining("tasks");
      assertThatThrownBy(() -> model.generateMixed(List.of(a), List.of("abc"), null)).isInstanceOf(NullPointerException.class)
          .hasMessageContaining("cfg");
    }
    // No rows, no answers, as generateBatch(List.of(), cfg).
    assertThat(model.generateMixed(List.of(), List.of(), GREEDY)).isEmpty();
  }

  // ---- characters outside the vocabulary ----

  @Test
  void unknownCharactersAreCountedOrRefused() {
    String accents = "é".repeat(10_000);
    String expected;
    try (BoundTask bound = model.bind(model.compile("Reverse."))) {
      expected = bound.generate("abc", GREEDY);
      long before = model.unknownCharacters();
      bound.generate(accents, GREEDY); // the convention: <unk>, answered...
      assertThat(model.unknownCharacters() - before).isEqualTo(10_000); // ...but counted, character by character
    }
    try (HintModel strict = HintModel.builder().modelDir(TinyModel.dir()).unknownTokenPolicy(UnknownTokenPolicy.REJECT).build();
        BoundTask bound = strict.bind(strict.compile("Reverse."))) {
      assertThatThrownBy(() -> bound.generate(accents)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("10000 character(s) outside").hasMessageContaining("U+00E9 at index 0")
          .hasMessageContaining("UnknownTokenPolicy.REPLACE");
      // NUL, an emoji (a surrogate pair: one character to the user), right-to-left text, a lone surrogate.
      for (String odd : List.of("ab\0cd", "ab\uD83D\uDE00cd", "ab \u05E9\u05DC\u05D5\u05DD", "ab\uD800cd")) {
        assertThatThrownBy(() -> bound.generate(odd)).as(odd).isInstanceOf(InvalidInputException.class)
            .hasMessageContaining("outside this model's vocabulary");
      }
      assertThatThrownBy(() -> strict.compile("Reverse the word \u00e9t\u00e9.")).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("instruction");
      assertThat(bound.generate("abc", GREEDY)).isEqualTo(expected); // text inside the vocabulary is untouched
      assertThat(strict.unknownCharacters()).isZero();
    }
  }

  // ---- a closed model says so ----

  @Test
  void aClosedModelSaysItIsClosed() {
    HintModel m = HintModel.builder().modelDir(TinyModel.dir()).build();
    BoundTask bound = m.bind(m.compile("Reverse."));
    m.close();
    assertThatThrownBy(() -> bound.generate("abc")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("HintModel is closed").hasMessageNotContaining("tokenizer");
    assertThatThrownBy(() -> m.compile("Reverse.")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("HintModel is closed");
    assertThatThrownBy(() -> bound.score("abc", "cba")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("HintModel is closed");
  }
}
