package dev.hint4j.examples.suite.legacy;

/**
 * A task parameter: {@code x} and {@code y} as the instruction names them, and {@code a}, {@code b}
 * as the rule uses them (e.g. x = "'e'" and a = "e").
 */
record Param(String x, String y, String a, String b) {
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
    return new Param(name + " '" + symbol + "'", "", symbol, "");
  }
}
