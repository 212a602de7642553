package dev.hint4j.examples.suite;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A phrase grammar: text with {@code [a|b|c]} alternatives (nested; an empty alternative makes a
 * part optional) and {@code {name}} references to shared synonym sets ({@link Synonyms}).
 * Placeholders the grammar does not know ({@code {x}}, {@code {y}}) stay in the text for the
 * parameter. Drawing picks each alternative uniformly; {@link #expansions} lists every phrasing.
 */
final class Grammar {
  private interface Node {}

  private record Text(String text) implements Node {}

  private record Seq(List<Node> parts) implements Node {}

  private record Alt(List<Node> options) implements Node {}

  private final Node root;

  private Grammar(Node root) {
    this.root = root;
  }

  /** One grammar choosing among the patterns (each pattern an alternative). */
  static Grammar of(Map<String, String> synonyms, String... patterns) {
    List<Node> options = new ArrayList<>();
    for (String p : patterns) {
      options.add(new Parser(p, synonyms).parse());
    }
    return new Grammar(new Alt(options));
  }

  boolean isEmpty() {
    return root instanceof Alt a && a.options().isEmpty();
  }

  String draw(SplittableRandom r) {
    StringBuilder sb = new StringBuilder();
    draw(root, r, sb);
    return sb.toString();
  }

  /** Every distinct phrasing, up to {@code cap} of them. */
  Set<String> expansions(int cap) {
    Set<String> out = new LinkedHashSet<>();
    for (String s : expand(root, cap)) {
      out.add(s);
    }
    return out;
  }

  private static void draw(Node n, SplittableRandom r, StringBuilder sb) {
    if (n instanceof Text t) {
      sb.append(t.text());
    } else if (n instanceof Seq s) {
      s.parts().forEach(p -> draw(p, r, sb));
    } else {
      Alt a = (Alt) n;
      draw(a.options().get(r.nextInt(a.options().size())), r, sb);
    }
  }

  private static List<String> expand(Node n, int cap) {
    if (n instanceof Text t) {
      return List.of(t.text());
    }
    List<String> out = new ArrayList<>();
    if (n instanceof Alt a) {
      for (Node o : a.options()) {
        for (String s : expand(o, cap)) {
          if (out.size() < cap) {
            out.add(s);
          }
        }
      }
      return out;
    }
    out.add("");
    for (Node p : ((Seq) n).parts()) {
      List<String> tails = expand(p, cap);
      List<String> next = new ArrayList<>();
      for (String head : out) {
        for (String tail : tails) {
          if (next.size() < cap) {
            next.add(head + tail);
          }
        }
      }
      out = next;
    }
    return out;
  }

  /** Recursive descent over the pattern text. */
  private static final class Parser {
    private final String text;
    private final Map<String, String> synonyms;
    private int at;

    Parser(String text, Map<String, String> synonyms) {
      this.text = text;
      this.synonyms = synonyms;
    }

    Node parse() {
      Node n = sequence();
      if (at != text.length()) {
        throw new IllegalArgumentException("unbalanced ']' or '|' at " + at + " in pattern: " + text);
      }
      return n;
    }

    private Node sequence() {
      List<Node> parts = new ArrayList<>();
      StringBuilder lit = new StringBuilder();
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c == ']' || c == '|') {
          break;
        }
        if (c == '[') {
          flush(lit, parts);
          at++;
          List<Node> options = new ArrayList<>();
          options.add(sequence());
          while (at < text.length() && text.charAt(at) == '|') {
            at++;
            options.add(sequence());
          }
          if (at >= text.length() || text.charAt(at) != ']') {
            throw new IllegalArgumentException("missing ']' in pattern: " + text);
          }
          at++;
          parts.add(new Alt(options));
        } else if (c == '{' && text.indexOf('}', at) > at + 2) { // {x} and {y} are parameters, kept as text
          int close = text.indexOf('}', at);
          String name = text.substring(at + 1, close);
          String set = synonyms.get(name);
          if (set == null) {
            throw new IllegalArgumentException("no synonym set {" + name + "} in pattern: " + text);
          }
          flush(lit, parts);
          parts.add(new Parser(set, synonyms).parse());
          at = close + 1;
        } else {
          lit.append(c);
          at++;
        }
      }
      flush(lit, parts);
      return parts.size() == 1 ? parts.get(0) : new Seq(parts);
    }

    private static void flush(StringBuilder lit, List<Node> parts) {
      if (!lit.isEmpty()) {
        parts.add(new Text(lit.toString()));
        lit.setLength(0);
      }
    }
  }
}
