/**
 * The tier SPI: the storage contract ({@link io.tiercache.tier.Tier}) every engine implements, and the records ({@link io.tiercache.tier.Envelope}) it stores. Tiers never depend on the JCache layer.
 */
package io.tiercache.tier;
