package dev.hint4j;

import dev.hint4j.internal.decode.Decoding;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Feeds a {@link TokenListener} from a decoding loop: per row, the text each new token adds. The
 * row's whole token prefix is decoded each time, so characters spread over several tokens and
 * spaces the tokenizer attaches to a neighbour come out right; when the new text does not extend
 * the text already shown (a decoder may rewrite the tail), the whole new text is reported. Used
 * by one decoding loop at a time.
 */
final class TokenStream implements Decoding.StepListener {
  private final Function<long[], String> decode;
  private final TokenListener listener;
  private final long[][] tokens;
  private final int[] lengths;
  private final String[] shown;

  TokenStream(int rows, Function<long[], String> decode, TokenListener listener) {
    this.decode = decode;
    this.listener = listener;
    this.tokens = new long[rows][8];
    this.lengths = new int[rows];
    this.shown = new String[rows];
    Arrays.fill(shown, "");
  }

  @Override
  public void onToken(int row, long tokenId) {
    if (lengths[row] == tokens[row].length) {
      tokens[row] = Arrays.copyOf(tokens[row], 2 * tokens[row].length);
    }
    tokens[row][lengths[row]++] = tokenId;
    String text = decode.apply(Arrays.copyOf(tokens[row], lengths[row]));
    String delta = text.startsWith(shown[row]) ? text.substring(shown[row].length()) : text;
    shown[row] = text;
    listener.onToken(row, tokenId, delta);
  }
}
