import sharp from 'sharp';
import { seededRandom, type Random } from './random.js';

/** A lesson written on the board: title, key points and a diagram kind. */
export type Lesson = { title: string; points: string[]; summary: string; diagram: DiagramKind };
type DiagramKind = 'triangle' | 'axes' | 'orbit' | 'cycle' | 'timeline' | 'force' | 'words';

export const LESSONS: Record<string, Lesson[]> = {
  chinese: [
    { title: '《春》 朱自清', points: ['盼春：盼望着，盼望着', '绘春：春草 春花 春风 春雨', '迎春：人们迎春忙', '赞春：新 美 力'], summary: '按时间顺序 · 比喻拟人', diagram: 'words' },
    { title: '《背影》 朱自清', points: ['思背影：不能忘记', '写背影：望父买橘', '别背影：混入人群', '念背影：泪光中'], summary: '细节描写见深情', diagram: 'timeline' },
    { title: '古诗二首', points: ['静夜思：思乡', '春晓：惜春', '意象：明月 啼鸟', '朗读：节奏与停顿'], summary: '借景抒情', diagram: 'words' },
  ],
  math: [
    { title: '勾股定理', points: ['直角三角形两直角边', 'a² + b² = c²', '赵爽弦图证明', '应用：求边长'], summary: '数形结合', diagram: 'triangle' },
    { title: '一次函数的图像', points: ['y = kx + b', 'k > 0 上升', 'k < 0 下降', 'b：与 y 轴交点'], summary: '图像 ⇄ 性质', diagram: 'axes' },
    { title: '认识图形', points: ['三角形：三条边', '长方形：对边相等', '正方形：四边相等', '圆：一样圆'], summary: '看一看 摸一摸', diagram: 'triangle' },
  ],
  english: [
    { title: 'Unit 3  My Friends', points: ['tall / short', 'long hair / short hair', 'He is ... She is ...', 'What is he like?'], summary: 'Describe your friend', diagram: 'words' },
    { title: 'Unit 5  Seasons', points: ['spring  summer', 'autumn  winter', 'Which season do you like?', 'Because ...'], summary: 'Talk about seasons', diagram: 'cycle' },
  ],
  physics: [
    { title: '牛顿第一定律', points: ['一切物体', '不受力时', '保持静止或匀速直线运动', '惯性：物体的属性'], summary: '力是改变运动状态的原因', diagram: 'force' },
    { title: '光的折射', points: ['光从空气斜射入水', '折射角 < 入射角', '光路可逆', '生活：筷子“折断”'], summary: '三线共面 两角关系', diagram: 'axes' },
  ],
  chemistry: [
    { title: '水的组成', points: ['电解水：2H₂O = 2H₂↑ + O₂↑', '正氧负氢', '体积比 1 : 2', '水由氢、氧元素组成'], summary: '宏观 · 微观 · 符号', diagram: 'force' },
  ],
  biology: [
    { title: '光合作用', points: ['场所：叶绿体', '条件：光', '原料：二氧化碳 + 水', '产物：有机物 + 氧气'], summary: '能量转换：光能 → 化学能', diagram: 'cycle' },
    { title: '植物的一生', points: ['种子萌发', '幼苗生长', '开花结果', '新的种子'], summary: '生命周期', diagram: 'cycle' },
  ],
  geography: [
    { title: '地球的公转', points: ['方向：自西向东', '周期：一年', '四季变化', '昼夜长短变化'], summary: '地轴倾斜是关键', diagram: 'orbit' },
  ],
  history: [
    { title: '辛亥革命', points: ['1905 同盟会成立', '1911 武昌起义', '1912 中华民国成立', '意义：推翻帝制'], summary: '民主共和观念深入人心', diagram: 'timeline' },
  ],
  science: [
    { title: '水的三态变化', points: ['固态：冰', '液态：水', '气态：水蒸气', '温度决定状态'], summary: '融化 · 蒸发 · 凝结', diagram: 'cycle' },
  ],
};

const FONT = "Noto Sans CJK SC, Noto Serif CJK SC, WenQuanYi Zen Hei, Source Han Sans SC, sans-serif";
const CHALK = ['#f6f3ea', '#f6f3ea', '#f6f3ea', '#f3e27a', '#f5a9b8', '#9fd7f0'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Draws a blackboard as SVG. `quality` in [0, 1] is how neat the writing is: low quality wobbles,
 * crowds and loses structure, so the demo's scores and pictures agree.
 */
export function blackboardSvg(lesson: Lesson, seed: number, quality: number, w = 1280, h = 800): string {
  const r = seededRandom(seed);
  const mess = 1 - quality;
  const jitter = (n: number) => (r.next() - 0.5) * 2 * n * mess;
  const board = r.pick(['#1f4a3a', '#234536', '#27403a', '#2c3b37', '#1d3f33']);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    `<defs><filter id="chalk"><feTurbulence type="fractalNoise" baseFrequency="0.9" numOctaves="2" seed="${seed % 1000}"/>` +
      `<feColorMatrix values="0 0 0 0 1  0 0 0 0 1  0 0 0 0 1  0 0 0 0.07 0"/><feComposite in2="SourceGraphic" operator="in"/></filter></defs>`,
    `<rect width="${w}" height="${h}" fill="#6b4a2b"/>`,
    `<rect x="26" y="26" width="${w - 52}" height="${h - 52}" fill="${board}"/>`,
  );
  // Eraser smudges
  for (let i = 0; i < 6 + Math.round(10 * mess); i++)
    parts.push(`<ellipse cx="${r.int(60, w - 60)}" cy="${r.int(60, h - 60)}" rx="${r.int(40, 160)}" ry="${r.int(15, 50)}" fill="#ffffff" opacity="${(0.02 + 0.04 * r.next()).toFixed(3)}"/>`);
  parts.push(`<rect x="26" y="26" width="${w - 52}" height="${h - 52}" filter="url(#chalk)" opacity="0.9"/>`);

  const titleSize = 54 + jitter(14);
  parts.push(
    `<text x="${w / 2 + jitter(120)}" y="${105 + jitter(25)}" font-family="${FONT}" font-size="${titleSize.toFixed(0)}" fill="#f6f3ea" text-anchor="middle" font-weight="bold" transform="rotate(${jitter(3).toFixed(2)} ${w / 2} 100)">${esc(lesson.title)}</text>`,
  );
  if (quality > 0.45) parts.push(`<line x1="${w / 2 - 260}" y1="130" x2="${w / 2 + 260}" y2="${130 + jitter(6)}" stroke="#f3e27a" stroke-width="3" opacity="0.8"/>`);

  // Key points, numbered when the teacher was structured
  const structured = quality > 0.35;
  lesson.points.forEach((p, i) => {
    const y = 210 + i * (88 + jitter(18));
    const x = 80 + jitter(40);
    const color = i === 0 && quality > 0.55 ? '#f3e27a' : r.pick(CHALK);
    const label = structured ? `${['一', '二', '三', '四', '五'][i]}、${p}` : p;
    parts.push(
      `<text x="${x.toFixed(0)}" y="${y.toFixed(0)}" font-family="${FONT}" font-size="${(34 + jitter(8)).toFixed(0)}" fill="${color}" transform="rotate(${jitter(4).toFixed(2)} ${x} ${y})">${esc(label)}</text>`,
    );
    if (quality > 0.7 && i === 1) parts.push(`<path d="M ${x} ${y + 12} q 120 ${6 + jitter(4)} 300 0" stroke="#f5a9b8" stroke-width="3" fill="none"/>`);
  });

  parts.push(diagram(lesson.diagram, r, w, h, mess));

  // Summary box
  const bx = 80 + jitter(30);
  const by = h - 150 + jitter(20);
  if (quality > 0.3) parts.push(`<rect x="${bx - 16}" y="${by - 48}" width="${Math.min(620, 60 + lesson.summary.length * 34)}" height="70" rx="10" fill="none" stroke="#f5a9b8" stroke-width="3" stroke-dasharray="${quality > 0.6 ? '0' : '10 6'}"/>`);
  parts.push(`<text x="${bx}" y="${by}" font-family="${FONT}" font-size="32" fill="#f6f3ea">${esc(lesson.summary)}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

function diagram(kind: DiagramKind, r: Random, w: number, h: number, mess: number): string {
  const cx = w - 330 + (r.next() - 0.5) * 60 * mess;
  const cy = 420 + (r.next() - 0.5) * 60 * mess;
  const s = `stroke="#f6f3ea" stroke-width="4" fill="none" stroke-linecap="round"`;
  const t = (x: number, y: number, text: string, size = 28, color = '#f6f3ea') =>
    `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" fill="${color}" text-anchor="middle">${esc(text)}</text>`;
  switch (kind) {
    case 'triangle':
      return [
        `<path d="M ${cx - 150} ${cy + 120} L ${cx + 150} ${cy + 120} L ${cx - 150} ${cy - 120} Z" ${s}/>`,
        `<path d="M ${cx - 150} ${cy + 95} h 25 v 25" ${s}/>`,
        t(cx, cy + 160, 'a'),
        t(cx - 180, cy + 10, 'b'),
        t(cx + 20, cy - 10, 'c', 28, '#f3e27a'),
      ].join('');
    case 'axes':
      return [
        `<path d="M ${cx - 180} ${cy + 150} L ${cx + 190} ${cy + 150} M ${cx - 160} ${cy + 170} L ${cx - 160} ${cy - 170}" ${s}/>`,
        `<path d="M ${cx + 180} ${cy + 143} l 12 7 l -12 7 M ${cx - 167} ${cy - 158} l 7 -12 l 7 12" ${s}/>`,
        `<path d="M ${cx - 170} ${cy + 120} L ${cx + 170} ${cy - 130}" stroke="#f3e27a" stroke-width="4"/>`,
        t(cx + 200, cy + 185, 'x'),
        t(cx - 185, cy - 160, 'y'),
        t(cx + 110, cy - 140, 'y = kx + b', 26, '#f3e27a'),
      ].join('');
    case 'orbit':
      return [
        `<ellipse cx="${cx}" cy="${cy}" rx="200" ry="110" ${s} stroke-dasharray="12 8"/>`,
        `<circle cx="${cx}" cy="${cy}" r="38" fill="#f3e27a" opacity="0.9"/>`,
        ...[0, 1, 2, 3].map((i) => {
          const a = (i * Math.PI) / 2;
          const x = cx + 200 * Math.cos(a);
          const y = cy + 110 * Math.sin(a);
          return `<circle cx="${x}" cy="${y}" r="16" fill="#9fd7f0"/>${t(x, y + (i === 1 ? 48 : -26), ['春分', '夏至', '秋分', '冬至'][i]!, 22)}`;
        }),
      ].join('');
    case 'cycle':
      return [0, 1, 2, 3]
        .map((i) => {
          const a = (i * Math.PI) / 2 - Math.PI / 2;
          const x = cx + 150 * Math.cos(a);
          const y = cy + 150 * Math.sin(a);
          const a2 = a + Math.PI / 2;
          const x2 = cx + 150 * Math.cos(a2);
          const y2 = cy + 150 * Math.sin(a2);
          return `<circle cx="${x}" cy="${y}" r="46" ${s}/><path d="M ${(x * 0.6 + x2 * 0.4).toFixed(0)} ${(y * 0.6 + y2 * 0.4).toFixed(0)} Q ${cx + 210 * Math.cos(a + Math.PI / 4)} ${cy + 210 * Math.sin(a + Math.PI / 4)} ${(x * 0.4 + x2 * 0.6).toFixed(0)} ${(y * 0.4 + y2 * 0.6).toFixed(0)}" stroke="#f3e27a" stroke-width="3" fill="none"/>`;
        })
        .join('');
    case 'timeline':
      return [
        `<path d="M ${cx - 200} ${cy} L ${cx + 200} ${cy}" ${s}/>`,
        ...[0, 1, 2, 3].map((i) => `<circle cx="${cx - 180 + i * 120}" cy="${cy}" r="10" fill="#f3e27a"/>${t(cx - 180 + i * 120, cy + (i % 2 ? 50 : -26), ['起', '承', '转', '合'][i]!, 26)}`),
      ].join('');
    case 'force':
      return [
        `<rect x="${cx - 60}" y="${cy - 40}" width="120" height="80" ${s}/>`,
        `<path d="M ${cx + 60} ${cy} L ${cx + 210} ${cy} m -16 -10 l 16 10 l -16 10" stroke="#f5a9b8" stroke-width="4" fill="none"/>`,
        `<path d="M ${cx - 220} ${cy + 40} L ${cx + 240} ${cy + 40}" ${s} stroke-dasharray="6 8"/>`,
        t(cx + 150, cy - 18, 'F', 30, '#f5a9b8'),
      ].join('');
    default:
      return ['春', '夏', '秋', '冬', '美']
        .map((c, i) => `<circle cx="${cx - 160 + i * 80}" cy="${cy + (i % 2) * 70}" r="34" ${s}/>${t(cx - 160 + i * 80, cy + 10 + (i % 2) * 70, c, 32, '#f3e27a')}`)
        .join('');
  }
}

/** Renders the board to a JPEG photo as a phone would take it. */
export async function blackboardJpeg(lesson: Lesson, seed: number, quality: number): Promise<Buffer> {
  return sharp(Buffer.from(blackboardSvg(lesson, seed, quality))).jpeg({ quality: 78, mozjpeg: false }).toBuffer();
}
