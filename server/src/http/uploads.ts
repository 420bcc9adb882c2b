import type { RequestHandler } from 'express';
import multer from 'multer';
import { HttpError, badRequest } from './errors.js';

const MB = 1024 * 1024;

/** Wraps a multer handler so its own errors become 400/413 naming the field instead of 500. */
function wrap(upload: RequestHandler, maxBytes: number, fileField: string): RequestHandler {
  return (req, res, next) =>
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        const field = err.field ?? 'file';
        if (err.code === 'LIMIT_FILE_SIZE')
          return next(new HttpError(413, 'payload_too_large', `${field}: at most ${Math.round((maxBytes / MB) * 10) / 10} MB per file`, { fields: [{ path: field, message: 'too large' }] }));
        return next(badRequest(`${field}: ${err.message}`, [{ path: field, message: err.message }]));
      }
      // Anything else from multer is busboy unable to read the body (a malformed part header, no boundary,
      // a truncated form): the client's fault, not the server's.
      const message = err instanceof Error ? err.message : String(err);
      next(badRequest(`${fileField}: not readable multipart form data (${message})`, [{ path: fileField, message: 'malformed multipart body' }]));
    });
}

/** One spreadsheet in the `file` field, kept in memory (imports are read whole anyway). */
export function singleFile(maxBytes = 5 * MB): RequestHandler {
  return wrap(multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 5 } }).single('file'), maxBytes, 'file');
}

/** Up to `maxFiles` files in the `photos` field; each at most `maxBytes`. */
export function photoFiles(maxBytes: number, maxFiles: number): RequestHandler {
  return wrap(multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: maxFiles, fields: 5 } }).array('photos', maxFiles), maxBytes, 'photos');
}

/** Browsers send multipart file names as Latin-1 bytes of UTF-8; Chinese names need decoding back. */
export function uploadName(file: Express.Multer.File): string {
  const raw = file.originalname;
  if (/^[ -~]*$/.test(raw)) return raw; // printable ASCII needs no decoding
  const decoded = Buffer.from(raw, 'latin1').toString('utf8');
  return decoded.includes('\ufffd') ? raw : decoded.normalize('NFC');
}
