import { existsSync, readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { HttpError } from '../http/errors.js';

/** One face of a font file, as pdfkit takes it: the file's bytes and, in a collection, the face's PostScript name. */
export type FontFace = { bytes: Buffer; face: string | undefined; font: fontkit.Font };
export type CertificateFonts = { path: string; regular: FontFace; bold: FontFace };

const INSTALL_HINT =
  'install the Debian package fonts-noto-cjk or set FONT_PATH to a font with Chinese glyphs';
// Characters every certificate prints; a font without them would draw empty boxes.
const PROBE = '荣誉证书荣获奖组委会年月日老师您的作品在中特发此以资鼓励编号';

const unavailable = (message: string, path?: string) =>
  new HttpError(
    503,
    'font_unavailable',
    `Certificates cannot be made: ${message}; ${INSTALL_HINT}`,
    path ? { fontPath: path } : {},
  );

/** In a collection (.ttc), Simplified Chinese faces first, never the monospaced ones. */
function pickFace(collection: fontkit.FontCollection, weight: 'Regular' | 'Bold'): fontkit.Font | undefined {
  const fonts = collection.fonts.filter((f) => !/mono/i.test(f.postscriptName));
  const simplified = (f: fontkit.Font) => /(sc|cn|gb)(-|$)/i.test(f.postscriptName);
  return (
    fonts.find((f) => simplified(f) && f.postscriptName.endsWith(weight)) ??
    fonts.find(simplified) ??
    fonts.find((f) => f.postscriptName.endsWith(weight)) ??
    fonts[0]
  );
}

function openFace(path: string, weight: 'Regular' | 'Bold'): FontFace {
  let bytes: Buffer;
  let opened: fontkit.Font | fontkit.FontCollection;
  try {
    bytes = readFileSync(path);
    opened = fontkit.create(bytes);
  } catch (err) {
    throw unavailable(`the font ${path} cannot be read (${(err as Error).message})`, path);
  }
  if ('fonts' in opened) {
    const font = pickFace(opened, weight);
    if (!font) throw unavailable(`the font collection ${path} holds no usable face`, path);
    return { bytes, face: font.postscriptName, font };
  }
  return { bytes, face: undefined, font: opened };
}

const cache = new Map<string, CertificateFonts>();

/**
 * The regular face of FONT_PATH and, when the file beside it is its bold weight (NotoSansCJK-Bold.ttc),
 * that one for titles. Read once per process: a CJK collection is 20 MB or more.
 */
export function certificateFonts(path: string | undefined): CertificateFonts {
  if (!path) throw unavailable('no font with Chinese glyphs was found');
  const cached = cache.get(path);
  if (cached) return cached;
  if (!existsSync(path)) throw unavailable(`the font ${path} does not exist`, path);
  const regular = openFace(path, 'Regular');
  const missing = [...PROBE].filter((ch) => !regular.font.hasGlyphForCodePoint(ch.codePointAt(0)!));
  if (missing.length)
    throw unavailable(
      `the font ${path} has no Chinese glyphs (none for ${missing.slice(0, 5).join('')})`,
      path,
    );
  const boldPath = path.replace(/Regular(\.(ttc|otf|ttf))$/i, 'Bold$1');
  let bold = regular;
  if (boldPath !== path && existsSync(boldPath)) {
    try {
      const face = openFace(boldPath, 'Bold');
      if (face.font.hasGlyphForCodePoint('荣'.codePointAt(0)!)) bold = face;
    } catch {
      // The bold weight is a nicety; titles fall back to the regular face.
    }
  }
  const fonts = { path, regular, bold };
  cache.set(path, fonts);
  return fonts;
}

/** Characters of `text` the font cannot draw (spaces and controls aside). */
export function missingGlyphs(font: fontkit.Font, text: string): string[] {
  const out = new Set<string>();
  for (const ch of text) if (!/\s/.test(ch) && !font.hasGlyphForCodePoint(ch.codePointAt(0)!)) out.add(ch);
  return [...out];
}
