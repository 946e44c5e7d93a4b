/**
 * A small, fast, seeded PRNG (xoshiro128**, seeded through splitmix32) so that the same input and
 * seed give byte-identical bootstrap output on every machine. Not for cryptography.
 */
export interface Random {
  /** A double uniformly distributed in [0, 1), 53 bits of resolution. */
  next(): number;
  /** A uniformly distributed 32-bit unsigned integer. */
  next32(): number;
  /** An integer uniformly distributed in [0, bound). */
  nextInt(bound: number): number;
}

export function createRandom(seed: number): Random {
  return new Xoshiro128(seed);
}

class Xoshiro128 implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    // The high bits of a seed beyond 2^32 are mixed in too, so seeds 1 and 2^32 + 1 differ.
    this.a = splitmix() ^ (Math.floor(Math.abs(seed) / 2 ** 32) | 0);
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  next32(): number {
    const b = this.b;
    const x = Math.imul(b, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b = b ^ this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = (this.d << 11) | (this.d >>> 21);
    return result;
  }

  next(): number {
    return ((this.next32() >>> 5) * 67108864 + (this.next32() >>> 6)) / 9007199254740992;
  }

  nextInt(bound: number): number {
    return Math.floor(this.next() * bound);
  }
}
