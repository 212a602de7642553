package dev.hint4j.examples.suite;

import static dev.hint4j.examples.suite.Family.InputKind.DIGITS;
import static dev.hint4j.examples.suite.Family.InputKind.LETTERS;
import static dev.hint4j.examples.suite.Family.InputKind.WORDS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalogue of task families (47), each with its rule and its phrase grammar. Paired rules
 * (ascending/descending, first/last, each letter/whole string, reverse/rotate, append/prepend,
 * next/previous) never share the words that tell them apart.
 */
final class Families {
  private Families() {}

  static final List<Family> ALL = List.of(
      // ---- letters ----
      plain("reverse", LETTERS, s -> new StringBuilder(s).reverse().toString(),
          say("[reverse|flip|invert|mirror] {it}",
              "[write|spell|give me|return|print|read] {it} {backwards}",
              "reverse the [order of the {letters}|{letters}]{ofit}",
              "{put} the {letters}{ofit} in [reverse|opposite|backwards] order"),
          ask("what is {it} [spelled |written |]backwards?", "what does {it} look like [reversed|backwards|in reverse]?")),
      plain("copy", LETTERS, s -> s,
          say("[copy|echo|return|give back|output|print|write] {it}[| exactly| unchanged| as it is| without changing anything]",
              "[leave|keep] {it} [unchanged|as it is|the same|exactly as it is]"),
          ask()),
      plain("uppercase", LETTERS, String::toUpperCase,
          say("[convert|change|turn|transform] {it} [to|into] {upper}",
              "[write|rewrite|put|print|give me] {it} in {upper}",
              "make {it} [uppercase|upper case|all caps|all uppercase]",
              "{capitalize} [every {letter}|each {letter}|all the {letters}]{ofit}",
              "make [every|each] {letter}{ofit} {capital}",
              "[change|convert|turn] all [the |]{letters}{ofit} to {upper}"),
          ask("what is {it} in {upper}?")),
      plain("capitalize", LETTERS, s -> s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1),
          say("{capitalize} [only |just |]the first {letter}{ofit}[| and keep the rest| and leave the rest alone]",
              "make [only |just |]the first {letter}{ofit} {capital}[| and keep the rest| and leave the rest alone]",
              "{capitalize} {it}",
              "start {it} with a capital[ letter|]",
              "[uppercase|upper-case] [only |just |]the first {letter}{ofit}"),
          ask()),
      plain("sort", LETTERS, s -> sorted(s, false),
          say("sort [{it}|the {letters}{ofit}][| {atoz}]",
              "{put} the {letters}{ofit} {atoz}",
              "alphabeti[z|s]e [|the {letters} of ]{it}"),
          ask("what are the {letters} of {it} in alphabetical order?")),
      plain("sort_desc", LETTERS, s -> sorted(s, true),
          say("sort [{it}|the {letters}{ofit}] {ztoa}",
              "{put} the {letters}{ofit} {ztoa}"),
          ask("what are the {letters} of {it} in reverse alphabetical order?")),
      plain("remove_vowels", LETTERS, s -> s.replaceAll("[aeiou]", ""),
          say("{remove} [all the|all|the] vowels{fromit}",
              "{remove} [every|each|any] vowel{fromit}",
              "[keep|leave] only the consonants{ofit}",
              "{writeit} {it} without [its |the |any |]vowels"),
          ask("what is {it} without [the |its |]vowels?")),
      plain("keep_vowels", LETTERS, s -> s.replaceAll("[^aeiou]", ""),
          say("{keeponly} the vowels{ofit}",
              "{remove} [all the|all|the] consonants{fromit}",
              "{remove} [every|each|any] consonant{fromit}",
              "[{writeit}|list|extract|pull out] [just |only |]the vowels{ofit}"),
          ask("what are the vowels [of|in] {it}?", "which vowels are in {it}?")),
      param("replace", LETTERS, ParamSpace.letterPair(), (s, p) -> s.replace(p.a(), p.b()),
          say("[replace|swap out|substitute] [every |each |all |]{named}{x}[| in {it}] with {y}",
              "[change|turn|convert] [every |each |all |]{named}{x}[| in {it}] [into|to] {y}",
              "[put|use|write] {y} [instead of|in place of] [every |each |]{x}"),
          ask("every {x} [becomes|should become|turns into] {y}.")),
      param("delete", LETTERS, ParamSpace.letter(0), (s, p) -> s.replace(p.a(), ""),
          say("{remove} [every|each|all|any|all the|every occurrence of|each instance of] {named}{x}{fromit}",
              "{writeit} {it} without [any |the |]{x}",
              "[keep|leave] everything [except|but] the {x}"),
          ask()),
      plain("double", LETTERS, s -> s.chars().mapToObj(c -> "" + (char) c + (char) c).collect(Collectors.joining()),
          say("[double|duplicate] {each} {letter}{ofit}",
              "[write|repeat|say|type] {each} {letter}{ofit} {twice}",
              "{writeit} {it} with {each} {letter} doubled"),
          ask()),
      plain("first_letter", LETTERS, s -> s.isEmpty() ? s : s.substring(0, 1),
          say("{give} [only |just |]the first {letter}{ofit}",
              "{keeponly} the first {letter}{ofit}"),
          ask("what is the first {letter}{ofit}?", "which {letter} does {it} [start|begin] with?", "what does {it} [start|begin] with?")),
      plain("last_letter", LETTERS, s -> s.isEmpty() ? s : s.substring(s.length() - 1),
          say("{give} [only |just |]the last {letter}{ofit}",
              "{keeponly} the last {letter}{ofit}"),
          ask("what is the last {letter}{ofit}?", "which {letter} does {it} end with?", "what does {it} end with?")),
      param("first_n", LETTERS, ParamSpace.numbers(List.of(1, 2, 3, 5), List.of(4)),
          (s, p) -> s.substring(0, Math.min(s.length(), Integer.parseInt(p.a()))),
          say("{give} [only |just |]the first {x} {letters}{ofit}",
              "{keeponly} the first {x} {letters}{ofit}",
              "[cut|truncate|shorten|trim] {it} to [the first |]{x} {letters}"),
          ask("what are the first {x} {letters}{ofit}?")),
      plain("drop_first", LETTERS, s -> s.isEmpty() ? s : s.substring(1),
          say("{remove} the first {letter}{fromit}",
              "{writeit} {it} without [its|the] first {letter}",
              "[keep|give me|return] everything [except|but|after] the first {letter}",
              "[skip|chop off|cut off] the first {letter}{ofit}"),
          ask()),
      plain("drop_last", LETTERS, s -> s.isEmpty() ? s : s.substring(0, s.length() - 1),
          say("{remove} the last {letter}{fromit}",
              "{writeit} {it} without [its|the] last {letter}",
              "[keep|give me|return] everything [except|but|before] the last {letter}",
              "[skip|chop off|cut off] the last {letter}{ofit}"),
          ask()),
      plain("rotate_left", LETTERS, s -> s.isEmpty() ? s : s.substring(1) + s.charAt(0),
          say("[move|put|shift] the first {letter}{ofit} to the {end}",
              "rotate {it} [|one position |one place |one step |once |by one ]to the left",
              "rotate {it} left[| by one| once]",
              "[take|cut] the first {letter}{ofit} and [put|move|stick] it [at|on] the {end}"),
          ask()),
      plain("rotate_right", LETTERS, s -> s.isEmpty() ? s : s.charAt(s.length() - 1) + s.substring(0, s.length() - 1),
          say("[move|put|shift] the last {letter}{ofit} to the {front}",
              "rotate {it} [|one position |one place |one step |once |by one ]to the right",
              "rotate {it} right[| by one| once]",
              "[take|cut] the last {letter}{ofit} and [put|move|stick] it at the {front}"),
          ask()),
      plain("swap_ends", LETTERS, s -> s.length() < 2 ? s : s.charAt(s.length() - 1) + s.substring(1, s.length() - 1) + s.charAt(0),
          say("[swap|exchange|switch|interchange] the first and [the |]last {letters}{ofit}",
              "[swap|switch|exchange] the first {letter}{ofit} [with|and] the last [one|{letter}]",
              "[let|make] the first and last {letters}{ofit} [trade|swap|switch] places"),
          ask()),
      plain("length", LETTERS, s -> Integer.toString(s.length()),
          say("[count|tally] the {letters}{ofit}",
              "{give} the [length|number of {letters}|letter count|character count]{ofit}",
              "[measure|find] the length{ofit}"),
          ask("how many {letters} are [in|there in] {it}?", "how many {letters} does {it} have?", "how long is {it}?",
              "what is the length of {it}?")),
      param("count_letter", LETTERS, ParamSpace.letter(1), (s, p) -> Long.toString(s.chars().filter(c -> c == p.a().charAt(0)).count()),
          say("count [how many times|how often] {named}{x} [appears|occurs|shows up]{ofit}",
              "count the [occurrences|number of occurrences] of {named}{x}{ofit}",
              "{give} the number of {x}{ofit}"),
          ask("how many times does {named}{x} [appear|occur]{ofit}?", "how many {x} are [in|there in] {it}?")),
      param("append", LETTERS, ParamSpace.letter(2), (s, p) -> s + p.a(),
          say("[add|append|put|attach|stick] [|the {letter} |a |an extra |one more ]{x} [at|to] the {end}[| of {it}]",
              "[append|add] {x} to {it}",
              "end {it} with [|an extra ]{x}",
              "{writeit} {it} followed by {x}"),
          ask()),
      param("prepend", LETTERS, ParamSpace.letter(3), (s, p) -> p.a() + s,
          say("[add|prepend|put|attach|stick] [|the {letter} |a |an extra |one more ]{x} [at|to] the {front}[| of {it}]",
              "prepend {x}[| to {it}]",
              "start {it} with [|an extra ]{x}",
              "[write|put] {x} [before|in front of] {it}"),
          ask()),
      param("interleave", LETTERS, ParamSpace.separators(0, true), (s, p) -> String.join(p.a(), s.split("")),
          say("[put|insert|add|place] {x} between [every two|each pair of|all the|the] {letters}{ofit}",
              "separate [the|all the|each of the] {letters}{ofit} with {x}",
              "[join|connect] the {letters}{ofit} with {x}",
              "[space out|split up] the {letters}{ofit} [with|using] {x}"),
          ask()),
      plain("dedupe", LETTERS, s -> s.chars().mapToObj(c -> String.valueOf((char) c)).collect(Collectors.toCollection(LinkedHashSet::new)).stream().collect(Collectors.joining()),
          say("{remove} [the |all |]duplicate {letters}{fromit}",
              "{remove} [repeated|duplicate|repeating] {letters}{fromit}, keeping the first [one|occurrence]",
              "{keeponly} the first [occurrence|appearance|copy] of {each} {letter}{ofit}",
              "[write|give me|list] {each} {letter}{ofit} only once",
              "deduplicate [the {letters} of |]{it}"),
          ask()),
      plain("shift_next", LETTERS, s -> shift(s, 1),
          say("[replace|change] {each} {letter}{ofit} [with|by|into|to] the next [one|{letter}] [in|of] the alphabet{wrapz}",
              "[shift|move] {each} {letter}{ofit} [one step|one place|one position|by one] forward in the alphabet{wrapz}",
              "[shift|advance] {each} {letter} to the next [one |{letter} ]in the alphabet{wrapz}",
              "[replace|swap] {each} {letter}{ofit} with [its|the] successor[| in the alphabet]{wrapz}",
              "[encode|shift] {it} with a Caesar shift of [1|one]"),
          ask("a becomes b, b becomes c, and so on.")),
      plain("shift_prev", LETTERS, s -> shift(s, -1),
          say("[replace|change] {each} {letter}{ofit} [with|by|into|to] the previous [one|{letter}] [in|of] the alphabet{wrapa}",
              "[shift|move] {each} {letter}{ofit} [one step|one place|one position|by one] back[|ward|wards] in the alphabet{wrapa}",
              "[shift|move] {each} {letter} to the previous [one |{letter} ]in the alphabet{wrapa}",
              "[replace|swap] {each} {letter}{ofit} with [its|the] predecessor[| in the alphabet]{wrapa}",
              "[decode|shift] {it} with a Caesar shift of [minus one|-1]"),
          ask("b becomes a, c becomes b, and so on.")),
      param("mask_vowels", LETTERS, ParamSpace.letter(4), (s, p) -> s.replaceAll("[aeiou]", p.a()),
          say("replace [each vowel|every vowel|all the vowels|all vowels]{ofit} with {x}",
              "[change|turn] [each|every] vowel{ofit} into {x}",
              "[mask|hide|cover] the vowels{ofit} with {x}"),
          ask()),
      plain("every_other", LETTERS, Families::everyOther,
          say("[keep|take|give me|write] every [other|second] {letter}{ofit}[| starting with the first| starting from the first one]",
              "{remove} every second {letter}{ofit}[| starting with the second]",
              "[keep|take] the {letters} at [odd positions|positions 1, 3, 5 and so on|positions one, three, five and so on]",
              "{remove} the {letters} at even positions"),
          ask()),
      plain("repeat", LETTERS, s -> s + s,
          say("[repeat|write|say|print|type] {it} {twice}[| in a row]",
              "[repeat|write|say|print] [the whole|the entire] [word|string|text|input] {twice}",
              "[double|duplicate] the [whole|entire] [word|string|text|input]",
              "[repeat|write] {it} [again|once more] after itself",
              "[concatenate|join] {it} with itself"),
          ask("what is {it} written {twice}?")),
      plain("mirror", LETTERS, s -> s + new StringBuilder(s).reverse(),
          say("{writeit} {it} followed by [its reverse|itself backwards|its reversal|the reversed [word|string|text]]",
              "[append|add|attach] [the reverse of {it}|{it} reversed] to [itself|the end of {it}]",
              "[make|turn] {it} [into |]a palindrome by [appending|adding] its reverse",
              "[make|build] a palindrome [from|out of] {it} by adding its reverse"),
          ask()),
      // ---- words ----
      plain("reverse_words", WORDS, s -> String.join(" ", reversed(words(s))),
          say("reverse the [order of the words|word order]{ofwit}",
              "{writeit} the words{ofwit} in [reverse|opposite|backwards] order",
              "[write|put|list] the words{ofwit} from last to first",
              "[flip|swap] the order of the words{ofwit}"),
          ask()),
      plain("first_word", WORDS, s -> words(s).get(0),
          say("{give} [only |just |]the first word{ofwit}", "{keeponly} the first word{ofwit}"),
          ask("what is the first word{ofwit}?", "which word does {wit} [start|begin] with?")),
      plain("last_word", WORDS, s -> words(s).get(words(s).size() - 1),
          say("{give} [only |just |]the last word{ofwit}", "{keeponly} the last word{ofwit}"),
          ask("what is the last word{ofwit}?", "which word does {wit} end with?")),
      plain("count_words", WORDS, s -> Integer.toString(words(s).size()),
          say("count the words{ofwit}", "{give} the [number of words|word count]{ofwit}"),
          ask("how many words are [in|there in] {wit}?", "how many words does {wit} have?")),
      param("join_words", WORDS, ParamSpace.separators(2, false), (s, p) -> String.join(p.a(), words(s)),
          say("[join|connect|link] the words{ofwit} with {x}",
              "replace [the spaces|each space|every space][| between the words]{ofwit} with {x}",
              "separate the words{ofwit} with {x} instead of spaces",
              "use {x} instead of spaces[| between the words]"),
          ask()),
      plain("capitalize_words", WORDS, s -> words(s).stream().map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(Collectors.joining(" ")),
          say("{capitalize} [each word|every word|all the words|all words]{ofwit}",
              "make the first {letter} of [each|every] word{ofwit} {capital}",
              "[convert|change|put|turn] {wit} [to|into] title case",
              "start [each|every] word{ofwit} with a capital[ letter|]"),
          ask()),
      plain("acronym", WORDS, s -> words(s).stream().map(w -> w.substring(0, 1)).collect(Collectors.joining()),
          say("[make|form|build|create|give me] [an acronym|the acronym|the initials] [from|of] {wit}",
              "[write|give me|take|join] the first {letter} of [each|every] word{ofwit}[| together| with no spaces]",
              "[abbreviate {wit} to its initials|turn {wit} into an acronym]"),
          ask("what is the acronym [of|for] {wit}?", "what are the initials of {wit}?")),
      plain("sort_words", WORDS, s -> words(s).stream().sorted().collect(Collectors.joining(" ")),
          say("sort the words{ofwit}[| {atoz}]",
              "{put} the words{ofwit} {atoz}",
              "alphabeti[z|s]e the words{ofwit}"),
          ask()),
      plain("longest_word", WORDS, s -> words(s).stream().reduce((a, b) -> b.length() > a.length() ? b : a).orElseThrow(),
          say("[{give}|find|pick] the longest word{ofwit}[| (the first one if there is a tie)| and the first one on a tie]",
              "[find|pick|{give}] the word with the most {letters}[| (the first one on a tie)]"),
          ask("which word [in|of] {wit} is the longest?", "what is the longest word{ofwit}?")),
      plain("drop_first_word", WORDS, s -> String.join(" ", words(s).subList(1, words(s).size())),
          say("{remove} the first word[| from {wit}| of {wit}]",
              "{writeit} {wit} without [its|the] first word",
              "[keep|give me|return] everything [after|except|but] the first word",
              "[skip|chop off|cut off] the first word{ofwit}"),
          ask()),
      // ---- digits ----
      plain("digit_sum", DIGITS, s -> Integer.toString(s.chars().map(c -> c - '0').sum()),
          say("[add up|sum|total] [the|all the] digits{ofnit}",
              "{give} the sum of [the|all the] digits{ofnit}",
              "[compute|calculate|find] the [digit sum|sum of the digits]{ofnit}"),
          ask("what is the sum of the digits{ofnit}?", "what do the digits{ofnit} add up to?")),
      param("digit_shift", DIGITS, ParamSpace.numbers(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), List.of()),
          (s, p) -> s.chars().mapToObj(c -> Integer.toString((c - '0' + Integer.parseInt(p.a())) % 10)).collect(Collectors.joining()),
          say("add {x} to [each|every] digit{ofnit}{wrap9}",
              "[increase|raise|increment] [each|every] digit{ofnit} by {x}{wrap9}",
              "[shift|move] [each|every] digit{ofnit} up by {x}{wrap9}"),
          ask()),
      plain("max_digit", DIGITS, s -> s.isEmpty() ? s : String.valueOf((char) s.chars().max().orElseThrow()),
          say("[{give}|find] the [largest|biggest|highest|maximum|max] digit{ofnit}"),
          ask("what is the [largest|biggest|highest] digit{ofnit}?", "which digit{ofnit} is the [largest|biggest|highest]?")),
      plain("min_digit", DIGITS, s -> s.isEmpty() ? s : String.valueOf((char) s.chars().min().orElseThrow()),
          say("[{give}|find] the [smallest|lowest|minimum|min] digit{ofnit}"),
          ask("what is the [smallest|lowest] digit{ofnit}?", "which digit{ofnit} is the [smallest|lowest]?")),
      plain("reverse_digits", DIGITS, s -> new StringBuilder(s).reverse().toString(),
          say("[reverse|flip] [the digits of |]{nit}",
              "{writeit} [the digits of |]{nit} {backwards}",
              "reverse the order of the digits{ofnit}"),
          ask("what is {nit} [written |]backwards?")),
      plain("sort_digits", DIGITS, s -> sorted(s, false),
          say("sort the digits{ofnit}[| in ascending order| from smallest to largest| from lowest to highest| in increasing order]",
              "{put} the digits{ofnit} in [ascending|increasing] order",
              "{put} the digits{ofnit} from [smallest|lowest] to [largest|highest]"),
          ask()));

  /** Letter families without parameters whose outputs are letters again: what compositions chain. */
  static final List<String> COMPOSABLE = List.of("reverse", "uppercase", "sort", "remove_vowels", "double", "rotate_left",
      "swap_ends", "shift_next", "dedupe", "drop_first", "capitalize", "mirror");

  static Family byId(String id) {
    return ALL.stream().filter(f -> f.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no family " + id));
  }

  private static String[] say(String... patterns) {
    return patterns;
  }

  private static String[] ask(String... patterns) {
    return patterns;
  }

  private static Family plain(String id, Family.InputKind kind, Function<String, String> rule, String[] say, String[] ask) {
    return new Family(id, kind, ParamSpace.NONE, (s, p) -> rule.apply(s), Grammar.of(Synonyms.ALL, say), Grammar.of(Synonyms.ALL, ask));
  }

  private static Family param(String id, Family.InputKind kind, ParamSpace space, BiFunction<String, Param, String> rule,
      String[] say, String[] ask) {
    return new Family(id, kind, space, rule, Grammar.of(Synonyms.ALL, say), Grammar.of(Synonyms.ALL, ask));
  }

  private static String sorted(String s, boolean descending) {
    char[] c = s.toCharArray();
    Arrays.sort(c);
    String up = new String(c);
    return descending ? new StringBuilder(up).reverse().toString() : up;
  }

  private static String shift(String s, int by) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append((char) ('a' + Math.floorMod(c - 'a' + by, 26)));
    }
    return sb.toString();
  }

  private static String everyOther(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i += 2) {
      sb.append(s.charAt(i));
    }
    return sb.toString();
  }

  static List<String> words(String s) {
    return Arrays.asList(s.split(" "));
  }

  private static List<String> reversed(List<String> l) {
    List<String> r = new ArrayList<>(l);
    java.util.Collections.reverse(r);
    return r;
  }
}
