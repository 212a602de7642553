package dev.hint4j.examples.suite;

import dev.hint4j.Example;
import java.util.List;

/** One task instance: the instruction (and few-shot examples), one input and its expected output. */
public record SuiteExample(Split split, String family, String instruction, List<Example> examples, String input,
    String output) {}
