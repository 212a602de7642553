package dev.hint4j.examples.suite;

import java.util.Map;

/**
 * Synonym sets the phrase grammars share ({@code {name}} in a pattern), so the same everyday words
 * (remove/delete/drop/strip..., letter/character/char, it/the word/the string...) appear across
 * families and a word learned in one family carries over to the others.
 */
final class Synonyms {
  private Synonyms() {}

  static final Map<String, String> ALL = Map.ofEntries(
      // what the input is called, per input kind
      Map.entry("it", "[it|the word|the string|the text|the input|this word|this string|the input string|the given word|the letters|this]"),
      Map.entry("wit", "[it|the sentence|the text|the input|this sentence|the phrase|the words|the string|this text]"),
      Map.entry("nit", "[it|the number|the input|this number|the digits|the given number]"),
      Map.entry("ofit", "[| of {it}| in {it}]"),
      Map.entry("ofwit", "[| of {wit}| in {wit}]"),
      Map.entry("ofnit", "[| of {nit}| in {nit}]"),
      Map.entry("fromit", "[| from {it}| in {it}]"),
      // units
      Map.entry("letter", "[letter|character|char]"),
      Map.entry("letters", "[letters|characters|chars]"),
      Map.entry("each", "[each|every]"),
      Map.entry("named", "[|the {letter} ]"),
      // verbs
      Map.entry("remove", "[remove|delete|drop|strip|get rid of|omit|take out|cut|erase]"),
      Map.entry("give", "[give|return|output|print|write|show|tell me|give me]"),
      Map.entry("keeponly", "[keep only|keep just|only keep|leave only|take only]"),
      Map.entry("writeit", "[write|give me|return|print|output]"),
      Map.entry("put", "[put|arrange|order|rearrange|write]"),
      // case
      Map.entry("upper", "[uppercase|upper case|capitals|capital letters|caps|block capitals|all caps|upper-case]"),
      Map.entry("capital", "[uppercase|a capital|a capital letter|capital|upper case]"),
      Map.entry("capitalize", "[capitalize|capitalise]"),
      // order
      Map.entry("backwards", "[backwards|in reverse|in reverse order|back to front|from right to left|from end to start]"),
      Map.entry("atoz", "[alphabetically|in alphabetical order|from a to z|a to z|A-Z|in ascending order|in ascending alphabetical order]"),
      Map.entry("ztoa", "[in reverse alphabetical order|from z to a|z to a|Z-A|in descending order|in descending alphabetical order|backwards alphabetically]"),
      // positions
      Map.entry("front", "[front|start|beginning]"),
      Map.entry("end", "[end|back]"),
      Map.entry("twice", "[twice|two times]"),
      Map.entry("wrapz", "[|, and z [becomes|goes to|wraps to|wraps around to] a| (z wraps around to a)| with z wrapping around to a]"),
      Map.entry("wrapa", "[|, and a [becomes|goes to|wraps to|wraps around to] z| (a wraps around to z)| with a wrapping around to z]"),
      Map.entry("wrap9", "[|, keeping only the last digit| modulo 10| mod 10|, wrapping around after 9| (9 wraps around to 0)|, keeping the last digit of each sum]"));
}
