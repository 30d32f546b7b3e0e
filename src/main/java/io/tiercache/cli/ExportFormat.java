package io.tiercache.cli;

/**
 * The JSON-lines format of {@code export} and {@code import}. The first line describes the export; each
 * further line is one entry:
 *
 * <pre>
 *   {"tiercache-export":1,"cache":"orders","directory":"/var/cache/app","entries":2,
 *    "exported-at":"2026-12-02T05:00:00Z","tiers":["mapdb","rocksdb"],
 *    "classes":[{"id":64,"name":"com.example.Order","layout":"3f2a..."}]}
 *   {"key":"BASE64","value":"BASE64","expire-at":1764651600000,"sequence":7,"tier":"rocksdb","key-text":"o-17"}
 * </pre>
 *
 * {@code entries} is the number of entry lines, so a file cut short is refused. {@code key} and
 * {@code value} are the serialized forms tiercache stores (Kryo), their class ids those of {@code classes}
 * (the registry as it was after the scan), so no value is converted, and one can be moved without its classes;
 * {@code import} decodes them with the classes given to it and stores them anew, in the target's own ids,
 * tiers and format. {@code expire-at} is epoch milliseconds, absent for an entry that never expires;
 * {@code sequence} orders two copies of one key (a move between tiers cut short by a crash): the higher wins;
 * {@code key-text} is the key for people, when it is a string, number or UUID.
 */
final class ExportFormat {

  static final String MARKER = "tiercache-export";
  static final int VERSION = 1;

  private ExportFormat() { }
}
