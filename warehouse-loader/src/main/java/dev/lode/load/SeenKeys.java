package dev.lode.load;

/**
 * The record keys a load has already written, as 64-bit hashes in an open-addressing
 * table: ten million keys cost 160 MB at most rather than gigabytes of strings. A hash
 * collision (about one in 10^7 at 10M keys) would count a record as a duplicate.
 */
final class SeenKeys {
  private long[] slots = new long[1 << 16];
  private int size;

  /** Adds the key; false when it was already there. */
  boolean add(CharSequence key) {
    long h = hash(key);
    if (h == 0) {
      h = 1; // 0 marks an empty slot
    }
    if (size * 2 >= slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    int i = (int) (h ^ (h >>> 32)) & mask;
    while (slots[i] != 0) {
      if (slots[i] == h) {
        return false;
      }
      i = (i + 1) & mask;
    }
    slots[i] = h;
    size++;
    return true;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    int mask = slots.length - 1;
    for (long h : old) {
      if (h != 0) {
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (slots[i] != 0) {
          i = (i + 1) & mask;
        }
        slots[i] = h;
      }
    }
  }

  /** FNV-1a over the chars, then a 64-bit finalizer (from MurmurHash3) to spread the bits. */
  static long hash(CharSequence s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
