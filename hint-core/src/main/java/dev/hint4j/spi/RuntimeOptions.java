package dev.hint4j.spi;

import dev.hint4j.Device;

/**
 * Backend settings chosen on {@code HintModel.Builder}.
 *
 * @param device where graphs run
 * @param allowCpuFallback run on CPU (with a warning) when the device cannot be used, instead of failing
 * @param intraOpThreads threads per graph run (0 = the backend's default)
 */
public record RuntimeOptions(Device device, boolean allowCpuFallback, int intraOpThreads) {}
