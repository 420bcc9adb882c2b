import type { Response } from 'express';
import { Types } from 'mongoose';
import PDFDocument from 'pdfkit';
import type { ContestSettings } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { HttpError, badRequest, notFound } from '../http/errors.js';
import { ResultsService } from '../results/results.service.js';
import { certificateFonts, missingGlyphs, type CertificateFonts } from './certificate-font.js';

export type CertificateLang = 'zh' | 'en';

/** What one certificate says, in the words printed on it. */
export type Winner = { code: string; title: string; teacherName: string; school: string; tierId: string };

type Tier = { id: string; name: { zh: string; en?: string | null } };

/** Everything checked and ready: the response can start, and only the rows are still to be read. */
export type CertificateJob = {
  lang: CertificateLang;
  contestName: string;
  tiers: Map<string, Tier>;
  /** Date of publication, as printed. */
  date: string;
  fonts: CertificateFonts;
  filter: Record<string, unknown>;
  count: number;
  fileName: string;
  fallbackName: string;
};

const WINNER_FIELDS = { code: 1, title: 1, teacherName: 1, school: 1, tierId: 1 } as const;

// Certificates carry the date in China, wherever the server's clock is set.
const DATE_FORMAT = {
  zh: new Intl.DateTimeFormat('zh-CN', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'Asia/Shanghai',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'Asia/Shanghai',
  }),
};

export const tierName = (tier: Tier | undefined, lang: CertificateLang, id: string) =>
  (lang === 'en' ? tier?.name.en || tier?.name.zh : tier?.name.zh) ?? id;

type Common = { title: string; award: string; issuer: string; date: string; code: string };
export type CertificateText =
  | (Common & { lang: 'zh'; salutation: string; body: string; awardLead: string; closing: string })
  | (Common & { lang: 'en'; lead: string; name: string; school: string; work: string; contest: string });

/** The lines of one certificate, in the order they are printed. */
export function certificateText(
  w: Winner,
  job: Pick<CertificateJob, 'lang' | 'contestName' | 'tiers' | 'date'>,
): CertificateText {
  const tier = tierName(job.tiers.get(w.tierId), job.lang, w.tierId);
  if (job.lang === 'en')
    return {
      lang: 'en',
      title: 'Certificate of Award',
      lead: 'This certificate is presented to',
      name: w.teacherName,
      school: w.school,
      work: `for the work “${w.title}”`,
      award: tier,
      contest: `in ${job.contestName}`,
      issuer: `Organizing Committee of ${job.contestName}`,
      date: job.date,
      code: `Entry ${w.code}`,
    };
  return {
    lang: 'zh',
    title: '荣誉证书',
    salutation: `${w.school} ${w.teacherName} 老师：`,
    body: `您的作品${bookTitle(w.title)}在${job.contestName}中`,
    awardLead: '荣获',
    award: tier,
    closing: '特发此证，以资鼓励。',
    issuer: `${job.contestName}组委会`,
    date: job.date,
    code: `作品编号：${w.code}`,
  };
}

/** A work's title in book-title marks; marks inside it become the nested 〈〉, as Chinese punctuation wants. */
export function bookTitle(title: string) {
  if (/^《[^《》]*》$/.test(title)) return title;
  return `《${title.replace(/《/g, '〈').replace(/》/g, '〉')}》`;
}

/** A file name as an attachment header: RFC 5987 UTF-8 name, with a plain ASCII one for old clients. */
export function contentDisposition(fileName: string, fallback: string) {
  const utf8 = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${utf8}`;
}

const safeName = (s: string) => s.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '_').trim();
const asciiName = (s: string) => s.replace(/[^A-Za-z0-9_-]+/g, '_');

// A4 landscape, in points.
const W = 841.89;
const H = 595.28;
const RED = '#a8201a';
const GOLD = '#c59b3c';
const INK = '#222222';

export class CertificatesService {
  private readonly results: ResultsService;

  constructor(private readonly ctx: AppContext) {
    this.results = new ResultsService(ctx);
  }

  /**
   * Checks everything that can fail before the first byte goes out: publication, the tier or the entry,
   * the font, and that the font can draw every character of every name (a missing glyph would print a box).
   */
  async prepare(
    contestId: string,
    pick: { tier: string } | { entryId: string },
    lang: CertificateLang,
  ): Promise<CertificateJob> {
    const contest = await this.results.contest(contestId);
    const snapshot = await this.results.published(contest);
    if (!snapshot)
      throw new HttpError(
        409,
        'not_published',
        'Certificates are made from the published results; publish the results first',
        {
          status: contest.status,
        },
      );
    const settings = snapshot.settings as ContestSettings;
    const tiers = new Map<string, Tier>(settings.tiers.map((t) => [t.id, t]));
    const base = {
      lang,
      contestName: contest.name,
      tiers,
      date: DATE_FORMAT[lang].format(contest.publishedAt ?? snapshot.createdAt),
    };

    let filter: Record<string, unknown>;
    let fileName: string;
    let fallbackName: string;
    if ('tier' in pick) {
      const tier = tiers.get(pick.tier);
      if (!tier) {
        const known = [...tiers.keys()].join(', ') || 'none';
        const message = `no tier "${pick.tier}" in the published results (tiers: ${known})`;
        throw badRequest(`query.tier: ${message}`, [{ path: 'query.tier', message }]);
      }
      filter = { snapshotId: snapshot._id, tierId: tier.id };
      fileName = `${safeName(tierName(tier, lang, tier.id))}-${lang === 'en' ? 'certificates' : '证书'}.pdf`;
      fallbackName = `certificates-${asciiName(tier.id)}.pdf`;
    } else {
      const row = await this.results.publishedRow(snapshot._id, new Types.ObjectId(pick.entryId));
      if (!row) throw notFound('Entry in the published results');
      if (!row.tierId)
        throw new HttpError(409, 'not_awarded', `Entry ${row.code} won no award, so it has no certificate`, {
          entryCode: row.code,
        });
      filter = { snapshotId: snapshot._id, entryId: row.entryId };
      fileName = `${safeName(row.code)}-${safeName(row.teacherName)}-${lang === 'en' ? 'certificate' : '证书'}.pdf`;
      fallbackName = `certificate-${asciiName(row.code)}.pdf`;
    }

    const fonts = certificateFonts(this.ctx.config.fontPath);
    // One pass over the names first: the count, and every glyph checked while an error can still be answered.
    let count = 0;
    const fixed = Object.values(
      certificateText({ code: '', title: '', teacherName: '', school: '', tierId: '' }, base),
    ).join('');
    const missing = new Set(
      missingGlyphs(
        fonts.regular.font,
        fixed + [...tiers.values()].map((t) => tierName(t, lang, t.id)).join(''),
      ),
    );
    let firstLacking: string | null = null;
    for await (const w of this.winners(filter)) {
      count++;
      const lacking = missingGlyphs(fonts.regular.font, `${w.code}${w.title}${w.teacherName}${w.school}`);
      if (lacking.length && firstLacking === null) firstLacking = w.code;
      for (const ch of lacking) missing.add(ch);
    }
    if (missing.size) {
      const chars = [...missing].slice(0, 20).join('');
      throw new HttpError(
        503,
        'font_lacks_glyphs',
        `The certificate font ${fonts.path} has no glyphs for 「${chars}」${firstLacking ? ` (first in entry ${firstLacking})` : ''}; set FONT_PATH to a font that has them`,
        { fontPath: fonts.path, characters: [...missing].slice(0, 100) },
      );
    }
    if (!count)
      throw new HttpError(
        409,
        'no_winners',
        'This tier has no winners in the published results, so there are no certificates',
        {
          tier: 'tier' in pick ? pick.tier : null,
        },
      );
    return { ...base, fonts, filter, count, fileName, fallbackName };
  }

  /** Winners in rank order, read with a cursor (a tier can hold hundreds). */
  private winners(filter: Record<string, unknown>) {
    return this.ctx.models.ResultRow.find(filter, WINNER_FIELDS)
      .sort({ rank: 1, code: 1 })
      .lean<Winner[]>()
      .cursor();
  }

  /** Streams the PDF to the response, one A4 landscape page per winner, waiting whenever the client is slower. */
  async send(job: CertificateJob, res: Response): Promise<void> {
    const title = job.lang === 'en' ? 'Certificates' : '荣誉证书';
    const doc = new PDFDocument({
      autoFirstPage: false,
      lang: job.lang === 'en' ? 'en' : 'zh-CN',
      info: { Title: `${job.contestName} ${title}`, Author: job.contestName, Creator: 'Pingxuan 评选' },
      displayTitle: true,
    });
    doc.registerFont('regular', job.fonts.regular.bytes, job.fonts.regular.face);
    doc.registerFont('bold', job.fonts.bold.bytes, job.fonts.bold.face);

    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', contentDisposition(job.fileName, job.fallbackName));
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Certificate-Count', String(job.count));
    let closed = false;
    res.once('close', () => (closed = true));
    doc.pipe(res);

    const cursor = this.winners(job.filter);
    try {
      for await (const w of cursor) {
        if (closed) break;
        doc.addPage({ size: 'A4', layout: 'landscape', margin: 0 });
        drawCertificate(doc, certificateText(w, job));
        if (res.writableNeedDrain)
          await new Promise((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
      }
    } catch (err) {
      // Headers are gone: cut the download short so no one keeps a PDF that silently lacks pages.
      this.ctx.logger.error({ err }, 'certificate rendering failed');
      doc.unpipe(res);
      doc.destroy();
      res.destroy(err as Error);
      return;
    } finally {
      await cursor.close().catch(() => undefined);
    }
    if (closed) {
      doc.unpipe(res);
      doc.destroy();
      return;
    }
    doc.end();
    await new Promise<void>((resolve) => (res.once('finish', resolve), res.once('close', resolve)));
  }
}

type Doc = PDFKit.PDFDocument;

/** Largest size from `size` down to `min` at which `text` fits on one line of `width`. */
function fit(
  doc: Doc,
  font: string,
  text: string,
  size: number,
  min: number,
  width: number,
  characterSpacing = 0,
) {
  doc.font(font);
  let s = size;
  while (s > min && doc.fontSize(s).widthOfString(text, { characterSpacing }) > width) s -= 1;
  return s;
}

function line(
  doc: Doc,
  font: string,
  text: string,
  y: number,
  o: {
    size: number;
    min?: number;
    color?: string;
    x?: number;
    width?: number;
    align?: 'center' | 'left' | 'right';
    spacing?: number;
    lines?: number;
    indent?: number;
  },
) {
  const x = o.x ?? 90;
  const width = o.width ?? W - 2 * x;
  const lines = o.lines ?? 1;
  const size = fit(
    doc,
    font,
    text,
    o.size,
    o.min ?? o.size,
    lines > 1 ? width * lines * 0.9 : width,
    o.spacing,
  );
  const lineGap = Math.round(size * 0.4);
  doc
    .font(font)
    .fontSize(size)
    .fillColor(o.color ?? INK)
    .text(text, x, y, {
      width,
      align: o.align ?? 'center',
      characterSpacing: o.spacing ?? 0,
      lineGap,
      indent: o.indent ?? 0,
      // Bounded, so a very long title is cut with an ellipsis instead of spilling onto a new page.
      height: lines * (size + lineGap) + 1,
      ellipsis: true,
      lineBreak: true,
    });
}

/** "荣获 一等奖" centred on one baseline: the lead in body text, the tier large and red. */
function award(doc: Doc, lead: string, tier: string, baseline: number, largest: number, spacing: number) {
  const leadText = lead ? `${lead}  ` : '';
  const leadWidth = leadText ? doc.font('regular').fontSize(22).widthOfString(leadText) : 0;
  const size = fit(doc, 'bold', tier, largest, 20, W - 180 - leadWidth, spacing);
  const tierWidth = doc.widthOfString(tier, { characterSpacing: spacing }) - spacing;
  const x = (W - leadWidth - tierWidth) / 2;
  if (leadText)
    doc
      .font('regular')
      .fontSize(22)
      .fillColor(INK)
      .text(leadText, x, baseline, { baseline: 'alphabetic', lineBreak: false });
  doc
    .font('bold')
    .fontSize(size)
    .fillColor(RED)
    .text(tier, x + leadWidth, baseline, {
      baseline: 'alphabetic',
      lineBreak: false,
      characterSpacing: spacing,
    });
}

function frame(doc: Doc) {
  doc.save();
  doc
    .lineWidth(6)
    .strokeColor(RED)
    .rect(22, 22, W - 44, H - 44)
    .stroke();
  doc
    .lineWidth(1.2)
    .strokeColor(GOLD)
    .rect(34, 34, W - 68, H - 68)
    .stroke();
  for (const [cx, cy] of [
    [34, 34],
    [W - 34, 34],
    [34, H - 34],
    [W - 34, H - 34],
  ] as const)
    doc.fillColor(GOLD).circle(cx, cy, 5).fill();
  doc.restore();
}

function drawCertificate(doc: Doc, t: CertificateText) {
  frame(doc);
  if (t.lang === 'zh') {
    line(doc, 'bold', t.title, 78, { size: 54, color: RED, spacing: 18 });
    line(doc, 'regular', t.salutation, 192, { size: 24, min: 14, x: 120, align: 'left' });
    line(doc, 'regular', t.body, 246, { size: 21, min: 15, x: 120, align: 'left', lines: 3, indent: 42 });
    award(doc, t.awardLead, t.award, 378, 42, 6);
    line(doc, 'regular', t.closing, 412, { size: 21, x: 162, align: 'left' });
  } else {
    line(doc, 'bold', t.title, 78, { size: 40, min: 28, color: RED, spacing: 2 });
    line(doc, 'regular', t.lead, 158, { size: 18 });
    line(doc, 'bold', t.name, 190, { size: 30, min: 16 });
    line(doc, 'regular', t.school, 236, { size: 16, min: 11 });
    line(doc, 'regular', t.work, 272, { size: 18, min: 12, lines: 2 });
    award(doc, '', t.award, 366, 34, 0);
    line(doc, 'regular', t.contest, 388, { size: 18, min: 12, lines: 2 });
  }
  line(doc, 'regular', t.issuer, 456, { size: 18, min: 11, x: W - 120 - 420, width: 420, align: 'right' });
  line(doc, 'regular', t.date, 486, { size: 18, x: W - 120 - 420, width: 420, align: 'right' });
  line(doc, 'regular', t.code, 528, { size: 10, x: 60, width: 300, align: 'left', color: '#777777' });
}
