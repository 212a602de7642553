package dev.hint4j.examples.suite.legacy;

import static dev.hint4j.examples.suite.legacy.Family.InputKind.DIGITS;
import static dev.hint4j.examples.suite.legacy.Family.InputKind.LETTERS;
import static dev.hint4j.examples.suite.legacy.Family.InputKind.WORDS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The catalogue of task families (47), each with its rule and phrasings. */
final class Families {
  private Families() {}

  static final List<Family> ALL = List.of(
      // ---- letters ----
      plain("reverse", LETTERS, s -> new StringBuilder(s).reverse().toString(),
          "Write the letters of the input in reverse order.",
          "Reverse the order of the characters in the input string.",
          "Spell the given string backwards, from its last character to its first."),
      plain("copy", LETTERS, s -> s,
          "Repeat the input exactly as it is.",
          "Copy the input string without changing anything.",
          "Return the very same string you were given."),
      plain("uppercase", LETTERS, String::toUpperCase,
          "Change every letter of the input to uppercase.",
          "Write the input string in capital letters.",
          "Convert all the characters of the string to upper case."),
      plain("capitalize", LETTERS, s -> Character.toUpperCase(s.charAt(0)) + s.substring(1),
          "Make the first letter of the input uppercase and keep the rest.",
          "Capitalize the input string: only its first character becomes a capital letter.",
          "Turn the initial character into a capital and leave the other letters unchanged."),
      plain("sort", LETTERS, s -> sorted(s, false),
          "Sort the letters of the input in alphabetical order.",
          "Arrange the characters of the input string from a to z.",
          "Put the letters in ascending alphabetical order."),
      plain("sort_desc", LETTERS, s -> sorted(s, true),
          "Sort the letters of the input in reverse alphabetical order.",
          "Arrange the characters of the input string from z to a.",
          "Put the letters in descending alphabetical order."),
      plain("remove_vowels", LETTERS, s -> s.replaceAll("[aeiou]", ""),
          "Delete every vowel from the input and keep the consonants.",
          "Remove all the vowels a, e, i, o and u from the input string.",
          "Drop each vowel from the string; what remains is the answer."),
      plain("keep_vowels", LETTERS, s -> s.replaceAll("[^aeiou]", ""),
          "Keep only the vowels of the input, in their order.",
          "Remove every consonant from the input string.",
          "Write just the vowels that appear in the string."),
      param("replace", LETTERS, ParamSpace.letterPair(), (s, p) -> s.replace(p.a(), p.b()),
          "Replace every letter {x} in the input with the letter {y}.",
          "Change each occurrence of {x} into {y} and keep all other letters.",
          "Substitute {y} for every {x} in the string."),
      param("delete", LETTERS, ParamSpace.letter(), (s, p) -> s.replace(p.a(), ""),
          "Delete every letter {x} from the input.",
          "Remove all occurrences of the character {x} from the input string.",
          "Drop each {x} from the string and keep the other letters."),
      plain("double", LETTERS, s -> s.chars().mapToObj(c -> "" + (char) c + (char) c).collect(Collectors.joining()),
          "Write every letter of the input twice.",
          "Double each character of the input string.",
          "Repeat each letter two times in a row."),
      plain("first_letter", LETTERS, s -> s.substring(0, 1),
          "Give the first letter of the input.",
          "Return only the first character of the input string.",
          "Write the letter the string starts with."),
      plain("last_letter", LETTERS, s -> s.substring(s.length() - 1),
          "Give the last letter of the input.",
          "Return only the last character of the input string.",
          "Write the letter the string ends with."),
      param("first_n", LETTERS, ParamSpace.numbers(List.of(1, 2, 3), List.of(4)), (s, p) -> s.substring(0, Math.min(s.length(), Integer.parseInt(p.a()))),
          "Keep only the first {x} letters of the input.",
          "Return the first {x} characters of the input string.",
          "Write the beginning of the string, {x} letters long."),
      plain("drop_first", LETTERS, s -> s.substring(1),
          "Remove the first letter of the input.",
          "Delete the first character of the input string and keep the rest.",
          "Write the string without its initial letter."),
      plain("drop_last", LETTERS, s -> s.substring(0, s.length() - 1),
          "Remove the last letter of the input.",
          "Delete the last character of the input string and keep the rest.",
          "Write the string without its final letter."),
      plain("rotate_left", LETTERS, s -> s.substring(1) + s.charAt(0),
          "Move the first letter of the input to the end.",
          "Rotate the input string one position to the left.",
          "Take the initial character and put it after the last one."),
      plain("rotate_right", LETTERS, s -> s.charAt(s.length() - 1) + s.substring(0, s.length() - 1),
          "Move the last letter of the input to the front.",
          "Rotate the input string one position to the right.",
          "Take the final character and put it before the first one."),
      plain("swap_ends", LETTERS, s -> s.length() < 2 ? s : s.charAt(s.length() - 1) + s.substring(1, s.length() - 1) + s.charAt(0),
          "Swap the first and the last letter of the input.",
          "Exchange the first character of the input with its last character.",
          "Trade places between the letter at the start and the letter at the end."),
      plain("length", LETTERS, s -> Integer.toString(s.length()),
          "Count the letters of the input and give the number.",
          "Return how many characters the input string has.",
          "Write the length of the string as a number."),
      param("count_letter", LETTERS, ParamSpace.letter(), (s, p) -> Long.toString(s.chars().filter(c -> c == p.a().charAt(0)).count()),
          "Count how many times the letter {x} appears in the input.",
          "Return the number of occurrences of {x} in the input string.",
          "Write how often the character {x} occurs in the string."),
      param("append", LETTERS, ParamSpace.letter(), (s, p) -> s + p.a(),
          "Add the letter {x} at the end of the input.",
          "Append the character {x} to the input string.",
          "Write the string followed by one extra {x}."),
      param("prepend", LETTERS, ParamSpace.letter(), (s, p) -> p.a() + s,
          "Add the letter {x} at the start of the input.",
          "Prepend the character {x} to the input string.",
          "Write one extra {x} in front of the string."),
      param("interleave", LETTERS, ParamSpace.separators(), (s, p) -> String.join(p.a(), s.split("")),
          "Put {x} between every two letters of the input.",
          "Separate the characters of the input string with {x}.",
          "Insert {x} after each letter except the last one."),
      plain("dedupe", LETTERS, s -> s.chars().mapToObj(c -> String.valueOf((char) c)).collect(Collectors.toCollection(LinkedHashSet::new)).stream().collect(Collectors.joining()),
          "Keep only the first occurrence of each letter of the input.",
          "Remove repeated characters from the input string, keeping their first appearance.",
          "Write each distinct letter once, in the order it first appears."),
      plain("shift_next", LETTERS, s -> shift(s, 1),
          "Replace each letter of the input with the next letter of the alphabet, and z with a.",
          "Shift every character of the input string one step forward in the alphabet.",
          "Move each letter to its successor in the alphabet, wrapping z around to a."),
      plain("shift_prev", LETTERS, s -> shift(s, -1),
          "Replace each letter of the input with the previous letter of the alphabet, and a with z.",
          "Shift every character of the input string one step back in the alphabet.",
          "Move each letter to its predecessor in the alphabet, wrapping a around to z."),
      param("mask_vowels", LETTERS, ParamSpace.letter(), (s, p) -> s.replaceAll("[aeiou]", p.a()),
          "Replace every vowel of the input with the letter {x}.",
          "Change each vowel in the input string into {x}.",
          "Substitute {x} for all the vowels a, e, i, o and u."),
      plain("every_other", LETTERS, s -> everyOther(s),
          "Keep the first letter of the input and then every second letter.",
          "Write the characters at positions one, three, five and so on.",
          "Skip every second letter of the string, starting with the second one."),
      plain("repeat", LETTERS, s -> s + s,
          "Write the input two times in a row.",
          "Repeat the input string once more after itself.",
          "Double the whole string by writing it twice."),
      plain("mirror", LETTERS, s -> s + new StringBuilder(s).reverse(),
          "Write the input followed by the input in reverse order.",
          "Append the reversed input string to the input string.",
          "Make a palindrome: the string, then the same letters backwards."),
      // ---- words ----
      plain("reverse_words", WORDS, s -> String.join(" ", reversed(words(s))),
          "Reverse the order of the words in the input.",
          "Write the words of the input sentence from last to first.",
          "Keep each word but put them in the opposite order."),
      plain("first_word", WORDS, s -> words(s).get(0),
          "Give the first word of the input.",
          "Return only the first word of the input text.",
          "Write the word the text starts with."),
      plain("last_word", WORDS, s -> words(s).get(words(s).size() - 1),
          "Give the last word of the input.",
          "Return only the last word of the input text.",
          "Write the word the text ends with."),
      plain("count_words", WORDS, s -> Integer.toString(words(s).size()),
          "Count the words of the input and give the number.",
          "Return how many words the input text has.",
          "Write the number of words in the text."),
      param("join_words", WORDS, ParamSpace.separators(), (s, p) -> String.join(p.a(), words(s)),
          "Join the words of the input with {x} instead of spaces.",
          "Replace each space between the words of the input with {x}.",
          "Connect the words using {x} as the separator."),
      plain("capitalize_words", WORDS, s -> words(s).stream().map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(Collectors.joining(" ")),
          "Make the first letter of every word of the input uppercase.",
          "Capitalize each word of the input text.",
          "Turn the initial letter of each word into a capital."),
      plain("acronym", WORDS, s -> words(s).stream().map(w -> w.substring(0, 1)).collect(Collectors.joining()),
          "Write the first letter of each word of the input, with no spaces.",
          "Form an acronym from the initial letters of the words of the input.",
          "Take the first character of every word and join them together."),
      plain("sort_words", WORDS, s -> words(s).stream().sorted().collect(Collectors.joining(" ")),
          "Sort the words of the input in alphabetical order.",
          "Arrange the words of the input text from a to z.",
          "Put the words in ascending alphabetical order."),
      plain("longest_word", WORDS, s -> words(s).stream().reduce((a, b) -> b.length() > a.length() ? b : a).orElseThrow(),
          "Give the longest word of the input; if several are equally long, the first of them.",
          "Return the word of the input text that has the most letters, the earliest one on a tie.",
          "Write the longest word, choosing the first one when there is a tie."),
      plain("drop_first_word", WORDS, s -> String.join(" ", words(s).subList(1, words(s).size())),
          "Remove the first word of the input.",
          "Delete the first word of the input text and keep the rest.",
          "Write the text without its initial word."),
      // ---- digits ----
      plain("digit_sum", DIGITS, s -> Integer.toString(s.chars().map(c -> c - '0').sum()),
          "Add up the digits of the input and give the total.",
          "Return the sum of all the digits in the input.",
          "Write the total you get by adding every digit."),
      param("digit_shift", DIGITS, ParamSpace.numbers(List.of(1, 2, 3, 4, 5), List.of(6, 7)),
          (s, p) -> s.chars().mapToObj(c -> Integer.toString((c - '0' + Integer.parseInt(p.a())) % 10)).collect(Collectors.joining()),
          "Add {x} to each digit of the input, keeping only the last digit of each result.",
          "Increase every digit of the input by {x}, wrapping around after nine.",
          "Replace each digit d with the last digit of d plus {x}."),
      plain("max_digit", DIGITS, s -> String.valueOf((char) s.chars().max().orElseThrow()),
          "Give the largest digit of the input.",
          "Return the highest digit that appears in the input.",
          "Write the biggest digit of the number."),
      plain("min_digit", DIGITS, s -> String.valueOf((char) s.chars().min().orElseThrow()),
          "Give the smallest digit of the input.",
          "Return the lowest digit that appears in the input.",
          "Write the smallest digit of the number."),
      plain("reverse_digits", DIGITS, s -> new StringBuilder(s).reverse().toString(),
          "Write the digits of the input in reverse order.",
          "Reverse the order of the digits in the input number.",
          "Spell the number backwards, from its last digit to its first."),
      plain("sort_digits", DIGITS, s -> sorted(s, false),
          "Sort the digits of the input from smallest to largest.",
          "Arrange the digits of the input number in ascending order.",
          "Put the digits in increasing order."));

  /** Letter families without parameters whose outputs are letters again: what compositions chain. */
  static final List<String> COMPOSABLE = List.of("reverse", "uppercase", "sort", "remove_vowels", "double", "rotate_left",
      "swap_ends", "shift_next", "dedupe", "drop_first", "capitalize", "mirror");

  static Family byId(String id) {
    return ALL.stream().filter(f -> f.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no family " + id));
  }

  private static Family plain(String id, Family.InputKind kind, Function<String, String> rule, String... phrasings) {
    return new Family(id, kind, ParamSpace.NONE, (s, p) -> rule.apply(s), List.of(phrasings));
  }

  private static Family param(String id, Family.InputKind kind, ParamSpace space, BiFunction<String, Param, String> rule,
      String... phrasings) {
    return new Family(id, kind, space, rule, List.of(phrasings));
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
