package dev.hint4j.onnx.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DirectBufferPoolTest {
  @Test
  void reusesReleasedBuffersOfTheSameSizeClassWithinItsBound() {
    DirectBufferPool pool = new DirectBufferPool(4096);
    ByteBuffer a = pool.acquire(1000);
    assertThat(a.isDirect()).isTrue();
    assertThat(a.limit()).isEqualTo(1000);
    assertThat(a.capacity()).isEqualTo(1024);
    pool.release(a);
    assertThat(pool.pooledBytes()).isEqualTo(1024);
    ByteBuffer b = pool.acquire(600); // same power-of-two class: the same buffer, limit reset
    assertThat(b).isSameAs(a);
    assertThat(b.position()).isZero();
    assertThat(b.limit()).isEqualTo(600);
    assertThat(pool.pooledBytes()).isZero();

    ByteBuffer big = pool.acquire(3000); // 4096
    pool.release(b);
    pool.release(big); // 1024 + 4096 > 4096: left to the collector
    assertThat(pool.pooledBytes()).isEqualTo(1024);
    pool.release(ByteBuffer.allocateDirect(100)); // not a pool size: ignored
    assertThat(pool.pooledBytes()).isEqualTo(1024);
  }
}
