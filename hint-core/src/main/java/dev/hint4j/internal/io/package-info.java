/**
 * Implementation of hint4j, used by its own modules (hint-onnx, the examples, the benchmarks); not
 * API: it may change in any release without notice. Applications use {@code dev.hint4j},
 * {@code dev.hint4j.cost} and {@code dev.hint4j.tensor}; backend implementers {@code dev.hint4j.spi}.
 */
package dev.hint4j.internal.io;
