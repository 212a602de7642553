package dev.hint4j.examples.suite;

/**
 * A task parameter: {@code x} and {@code y} as the instruction names them, and {@code a}, {@code b}
 * as the rule uses them (e.g. x = "'e'" and a = "e"). One value has several namings ('e', "e", e;
 * 3, three; a dash, '-', a dash '-'), each its own Param with the same {@code a} and {@code b}.
 */
record Param(String x, String y, String a, String b) {
  private static final String[] NUMBER_WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};

  /** The letter in single quotes, the form tests use. */
  static Param letter(char c) {
    return new Param("'" + c + "'", "", String.valueOf(c), "");
  }

  static Param letters(char c, char d) {
    return new Param("'" + c + "'", "'" + d + "'", String.valueOf(c), String.valueOf(d));
  }

  static Param number(int n) {
    return new Param(Integer.toString(n), "", Integer.toString(n), "");
  }

  static Param separator(String name, String symbol) {
    return new Param(name + " " + quoted(symbol), "", symbol, "");
  }

  /** The namings people use for a letter: quoted, double-quoted or bare. */
  static java.util.List<Param> letterNamings(char c) {
    String s = String.valueOf(c);
    return java.util.List.of(new Param("'" + s + "'", "", s, ""), new Param("\"" + s + "\"", "", s, ""), new Param(s, "", s, ""));
  }

  static java.util.List<Param> pairNamings(char c, char d) {
    String a = String.valueOf(c);
    String b = String.valueOf(d);
    return java.util.List.of(new Param("'" + a + "'", "'" + b + "'", a, b), new Param("\"" + a + "\"", "\"" + b + "\"", a, b),
        new Param(a, b, a, b));
  }

  /** A number as a digit or a word. */
  static java.util.List<Param> numberNamings(int n) {
    String digits = Integer.toString(n);
    return n < 10 ? java.util.List.of(new Param(digits, "", digits, ""), new Param(NUMBER_WORDS[n], "", digits, ""))
        : java.util.List.of(new Param(digits, "", digits, ""));
  }

  /** A separator by name, by name and symbol, or by symbol alone. */
  static java.util.List<Param> separatorNamings(String name, String symbol) {
    return java.util.List.of(new Param(name, "", symbol, ""), separator(name, symbol), new Param(quoted(symbol), "", symbol, ""));
  }

  private static String quoted(String symbol) {
    return symbol.equals("'") ? "\"'\"" : "'" + symbol + "'";
  }
}
