/**
 * Store-by-value copying: the {@link io.tiercache.copy.Copier} SPI and its Kryo-based default.
 */
package io.tiercache.copy;
