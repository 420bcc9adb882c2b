import { createHash, randomBytes, randomInt } from 'node:crypto';

/** A bearer secret (session id, feedback link): 256 random bits; only its hash is stored. */
export const newSecret = () => randomBytes(32).toString('base64url');
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

// No 0/O, 1/I/L: judges type these from paper.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** A one-time sign-in code such as "K7QF-2MZP-X9AB" (about 59 bits; codes expire and log-in is rate-limited). */
export function newSignInCode(): string {
  let s = '';
  for (let i = 0; i < 12; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}

/** Codes are compared without dashes, spaces or case. */
export const normalizeSignInCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();
