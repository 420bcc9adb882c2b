import type { RequestHandler } from 'express';
import { badRequest } from './errors.js';

// A lone UTF-16 surrogate ("\ud800" in JSON) has no UTF-8 form: MongoDB stores U+FFFD in its place, so the
// text kept (and an audit hash computed over it) would differ from the text sent.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

export const isWellFormed = (s: string) => !LONE_SURROGATE.test(s);
export const toWellFormed = (s: string) => s.replace(LONE_SURROGATES, '\ufffd');

type Node = { value: unknown; key: string; parent: Node | null };
const pathOf = (n: Node) => {
  const keys: string[] = [];
  for (let x: Node | null = n; x; x = x.parent) keys.unshift(x.key);
  return toWellFormed(keys.join('.'));
};

/** Refuses a JSON body holding ill-formed text anywhere, in a value or a key, with a 400 naming where. */
export const wellFormedBody: RequestHandler = (req, _res, next) => {
  // A stack rather than recursion: a body may nest a hundred thousand levels deep.
  const stack: Node[] = [{ value: req.body, key: 'body', parent: null }];
  while (stack.length) {
    const node = stack.pop()!;
    const v = node.value;
    let bad: Node | null = typeof v === 'string' && !isWellFormed(v) ? node : null;
    if (!bad && v && typeof v === 'object')
      for (const [key, value] of Object.entries(v)) {
        const child = { value, key, parent: node };
        if (!isWellFormed(key)) bad = child;
        else stack.push(child);
      }
    if (bad) {
      const path = pathOf(bad);
      return next(badRequest(`${path}: not valid Unicode text (a lone surrogate)`, [{ path, message: 'invalid Unicode' }]));
    }
  }
  next();
};
