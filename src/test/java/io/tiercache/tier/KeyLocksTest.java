package io.tiercache.tier;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Equal keys share a stripe, whatever their class: byte tiers find keys by content, arrays included. */
class KeyLocksTest {

  private final KeyLocks locks = new KeyLocks(64);

  @Property(tries = 200)
  void equalArraysShareAStripe(@ForAll byte[] key, @ForAll int[] other) {
    assertThat(locks.lockFor(key.clone())).isSameAs(locks.lockFor(key));
    assertThat(locks.lockFor(other.clone())).isSameAs(locks.lockFor(other));
  }

  @Property(tries = 200)
  void equalKeysShareAStripe(@ForAll String key) {
    assertThat(locks.lockFor(new String(key))).isSameAs(locks.lockFor(key));
    assertThat(locks.stripeOf(new String(key))).isEqualTo(locks.stripeOf(key));
  }
}
