/**
 * Encryption at rest for the disk tiers: AES-256-GCM per record, a keyring of master keys (one primary for
 * writing, older ones for reading), a data key per cache kept apart from the data (destroying it shreds the
 * cache), and optionally keys stored as keyed hashes. See the README's "Encryption" for the threat model.
 */
package io.tiercache.encryption;
