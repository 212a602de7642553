package dev.hint4j;

/**
 * How a {@link TaskModule}'s tensor data is stored by {@link TaskModule#toBytes(Precision)}.
 * float16 halves the size at ~3 significant digits.
 */
public enum Precision { FLOAT32, FLOAT16 }
