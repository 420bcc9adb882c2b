// xoshiro128** seeded by splitmix32: 32-bit integer arithmetic only, so every platform
// (server, browser, scripts) draws the same stream for a seed. Math.random is never used.

export interface Prng {
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform integer in [0, n), n <= 2^21 keeps the product exact. */
  nextInt(n: number): number;
  /** Uniform float in [0, 1). */
  nextFloat(): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createPrng(seed: number): Prng {
  const init = splitmix32(seed);
  return createPrngFromState(init(), init(), init(), init());
}

/** Raw xoshiro128** state; exported for the reference-vector test. */
export function createPrngFromState(s0: number, s1: number, s2: number, s3: number): Prng {
  let a = s0 | 0;
  let b = s1 | 0;
  let c = s2 | 0;
  let d = s3 | 0;
  // The all-zero state is a fixed point of xoshiro.
  if ((a | b | c | d) === 0) a = 1;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return {
    nextUint32,
    nextInt: (n) => Math.floor((nextUint32() * n) / 4294967296),
    nextFloat: () => nextUint32() / 4294967296,
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
