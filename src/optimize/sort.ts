// Argsort for millions of keys without comparator callbacks: a stable LSD radix sort on the
// float32 image of each key (two 16-bit passes). Orders only need to be right to ~7 digits here
// (greedy passes, candidate moves), and ties keep index order, so results are deterministic.

/** uint32 images of the keys whose unsigned ascending order is the keys' descending order */
function descendingKeys(keys: ArrayLike<number>, n: number): Uint32Array {
  const f = new Float32Array(n);
  for (let i = 0; i < n; i++) f[i] = keys[i];
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < n; i++) {
    const x = f[i];
    if (x !== x) {
      u[i] = 0xffffffff; // NaN last
      continue;
    }
    const b = x === 0 ? 0 : u[i]; // -0 → +0: equal keys must tie
    // ascending image flips all bits of negatives and the sign bit of positives
    const asc = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
    u[i] = ~asc >>> 0;
  }
  return u;
}

/**
 * Indexes 0..n-1 ordered by keys[i] descending (stable: equal keys keep increasing index).
 * `keys` may be longer than n; only the first n entries are used.
 */
export function argsortDesc(keys: ArrayLike<number>, n: number = keys.length): Int32Array {
  return radixArgsort(descendingKeys(keys, n), null);
}

/** Ascending counterpart of argsortDesc (NaN still last). */
export function argsortAsc(keys: ArrayLike<number>, n: number = keys.length): Int32Array {
  const k = descendingKeys(keys, n);
  for (let i = 0; i < n; i++) if (k[i] !== 0xffffffff) k[i] = ~k[i] >>> 0;
  return radixArgsort(k, null);
}

/**
 * The first entries of argsortDesc(keys): at least `top` of them (all of them when fewer), in
 * the same order, found with one histogram pass instead of sorting every key. For greedy passes
 * that stop long before the end of the order.
 */
export function argsortDescTop(
  keys: ArrayLike<number>,
  top: number,
  n: number = keys.length,
): Int32Array {
  if (top >= n || n <= 65536) return argsortDesc(keys, n);
  const k = descendingKeys(keys, n);
  const hist = new Int32Array(65536);
  for (let i = 0; i < n; i++) hist[k[i] >>> 16]++;
  let cut = 0;
  let count = 0;
  while (cut < 65535 && count + hist[cut] < top) count += hist[cut++];
  count += hist[cut];
  const idx = new Int32Array(count);
  let w = 0;
  for (let i = 0; i < n; i++) if (k[i] >>> 16 <= cut) idx[w++] = i;
  const sub = new Uint32Array(count);
  for (let t = 0; t < count; t++) sub[t] = k[idx[t]];
  return radixArgsort(sub, idx);
}

/** Stable LSD radix sort of indexes by uint32 keys; `ids` maps positions to returned indexes. */
function radixArgsort(k: Uint32Array, ids: Int32Array | null): Int32Array {
  const n = k.length;
  let idx: Int32Array;
  if (n <= 64) idx = insertionArgsort(k);
  else {
    idx = new Int32Array(n);
    let tmp: Int32Array = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    const count = new Int32Array(65537);
    for (let shift = 0; shift < 32; shift += 16) {
      count.fill(0);
      for (let i = 0; i < n; i++) count[((k[i] >>> shift) & 0xffff) + 1]++;
      for (let b = 0; b < 65536; b++) count[b + 1] += count[b];
      for (let i = 0; i < n; i++) {
        const j = idx[i];
        tmp[count[(k[j] >>> shift) & 0xffff]++] = j;
      }
      const t = idx;
      idx = tmp;
      tmp = t;
    }
  }
  if (ids !== null) for (let i = 0; i < n; i++) idx[i] = ids[idx[i]];
  return idx;
}

/** Small inputs (one customer's options): a radix pass's 64k-bucket table would dominate. */
function insertionArgsort(k: Uint32Array): Int32Array {
  const n = k.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let j = i;
    while (j > 0 && k[idx[j - 1]] > k[i]) {
      idx[j] = idx[j - 1];
      j--;
    }
    idx[j] = i;
  }
  return idx;
}
