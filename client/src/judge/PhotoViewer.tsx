import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

type View = { scale: number; x: number; y: number };
type Point = { x: number; y: number };

const MIN_SCALE = 1;
const MAX_SCALE = 6;
const SWIPE_PX = 60;
const TAP_PX = 10;
const DOUBLE_TAP_MS = 320;

const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
const middle = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/** Keeps the zoomed picture over the stage: no dragging it out of sight. */
function clamp(v: View, w: number, h: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, v.scale));
  return {
    scale,
    x: Math.min(0, Math.max(w - w * scale, v.x)),
    y: Math.min(0, Math.max(h - h * scale, v.y)),
  };
}

/** Zooms to `scale` keeping the stage point `at` where it is. */
function zoomAt(v: View, scale: number, at: Point): View {
  const k = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale)) / v.scale;
  return { scale: v.scale * k, x: at.x - (at.x - v.x) * k, y: at.y - (at.y - v.y) * k };
}

/**
 * One photo filling its stage: pinch to zoom, drag to pan when zoomed, double-tap to reset (or zoom in
 * when not zoomed), wheel zoom on a laptop; a horizontal swipe when not zoomed asks for the next or previous work.
 * Pointer events only; the transform is written straight to the image so a pinch does not re-render React.
 */
export function PhotoViewer({
  src,
  alt,
  onSwipe,
}: {
  src: string;
  alt: string;
  onSwipe?: (direction: 1 | -1) => void;
}) {
  const { t } = useTranslation('judge');
  const stageRef = useRef<HTMLDivElement>(null);
  const imgRef = useRef<HTMLImageElement>(null);
  const view = useRef<View>({ scale: 1, x: 0, y: 0 });
  const pointers = useRef(new Map<number, Point>());
  const gesture = useRef<{ start: Point; startAt: number; moved: boolean; pinched: boolean } | null>(null);
  const lastTap = useRef<{ at: number; p: Point } | null>(null);
  const swipeRef = useRef(onSwipe);
  const [zoomed, setZoomed] = useState(false);
  const [loaded, setLoaded] = useState<'loading' | 'ok' | 'error'>('loading');

  useEffect(() => {
    swipeRef.current = onSwipe;
  }, [onSwipe]);

  const apply = (next: View) => {
    const stage = stageRef.current;
    if (!stage) return;
    const v = clamp(next, stage.clientWidth, stage.clientHeight);
    view.current = v;
    if (imgRef.current) imgRef.current.style.transform = `translate(${v.x}px, ${v.y}px) scale(${v.scale})`;
    setZoomed(v.scale > 1.001);
  };
  const reset = () => apply({ scale: 1, x: 0, y: 0 });
  const center = (): Point => {
    const s = stageRef.current;
    return { x: (s?.clientWidth ?? 0) / 2, y: (s?.clientHeight ?? 0) / 2 };
  };

  // A new photo starts unzoomed (state set during render for the new src, as React recommends).
  const [shownSrc, setShownSrc] = useState(src);
  if (shownSrc !== src) {
    setShownSrc(src);
    setLoaded('loading');
    setZoomed(false);
  }
  useEffect(() => {
    view.current = { scale: 1, x: 0, y: 0 };
    if (imgRef.current) imgRef.current.style.transform = '';
  }, [src]);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const stage = stageRef.current;
    if (!stage) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = stage.getBoundingClientRect();
      const factor = Math.exp(-e.deltaY / 300);
      const v = zoomAt(view.current, view.current.scale * factor, {
        x: e.clientX - r.left,
        y: e.clientY - r.top,
      });
      const c = clamp(v, stage.clientWidth, stage.clientHeight);
      view.current = c;
      if (imgRef.current) imgRef.current.style.transform = `translate(${c.x}px, ${c.y}px) scale(${c.scale})`;
      setZoomed(c.scale > 1.001);
    };
    stage.addEventListener('wheel', onWheel, { passive: false });
    return () => stage.removeEventListener('wheel', onWheel);
  }, []);

  const local = (e: React.PointerEvent): Point => {
    const r = stageRef.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    try {
      e.currentTarget.setPointerCapture(e.pointerId); // keep the gesture when a finger leaves the stage
    } catch {
      // a pointer the browser does not track (synthetic events): the gesture still works inside the stage
    }
    const p = local(e);
    pointers.current.set(e.pointerId, p);
    if (pointers.current.size === 1)
      gesture.current = { start: p, startAt: e.timeStamp, moved: false, pinched: false };
    else if (gesture.current) gesture.current.pinched = true;
  };

  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    const before = pointers.current.get(e.pointerId);
    if (!before) return;
    const p = local(e);
    const g = gesture.current;
    if (g && distance(p, g.start) > TAP_PX) g.moved = true;
    if (pointers.current.size >= 2) {
      const others = [...pointers.current.entries()].filter(([id]) => id !== e.pointerId);
      const other = others[0]![1];
      const d0 = distance(before, other);
      const d1 = distance(p, other);
      const m0 = middle(before, other);
      const m1 = middle(p, other);
      const zoomed = zoomAt(view.current, view.current.scale * (d0 > 0 ? d1 / d0 : 1), m0);
      apply({ ...zoomed, x: zoomed.x + m1.x - m0.x, y: zoomed.y + m1.y - m0.y });
    } else if (view.current.scale > 1.001) {
      apply({ ...view.current, x: view.current.x + p.x - before.x, y: view.current.y + p.y - before.y });
    }
    pointers.current.set(e.pointerId, p);
  };

  const onPointerUp = (e: React.PointerEvent<HTMLDivElement>) => {
    const p = pointers.current.get(e.pointerId);
    pointers.current.delete(e.pointerId);
    const g = gesture.current;
    if (!p || !g || pointers.current.size > 0) return;
    gesture.current = null;
    if (e.type === 'pointercancel' || g.pinched) return;
    const dx = p.x - g.start.x;
    const dy = p.y - g.start.y;
    if (!g.moved) {
      const prev = lastTap.current;
      if (prev && e.timeStamp - prev.at < DOUBLE_TAP_MS && distance(prev.p, p) < 40) {
        lastTap.current = null;
        if (view.current.scale > 1.001) reset();
        else apply(zoomAt(view.current, 2.5, p));
      } else lastTap.current = { at: e.timeStamp, p };
      return;
    }
    if (view.current.scale <= 1.001 && Math.abs(dx) > SWIPE_PX && Math.abs(dx) > 2 * Math.abs(dy))
      swipeRef.current?.(dx < 0 ? 1 : -1);
  };

  return (
    <div className="photo-viewer">
      <div
        ref={stageRef}
        className={`photo-stage${zoomed ? ' is-zoomed' : ''}`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        <img
          ref={imgRef}
          src={src}
          alt={alt}
          draggable={false}
          onLoad={() => setLoaded('ok')}
          onError={() => setLoaded('error')}
        />
        {loaded === 'loading' && (
          <p className="photo-note" role="status">
            <span className="spinner" aria-hidden="true" />
            {t('photo.loading')}
          </p>
        )}
        {loaded === 'error' && (
          <p className="photo-note photo-error" role="alert">
            {t('photo.failed')}
          </p>
        )}
      </div>
      <div className="photo-tools" role="group" aria-label={t('photo.tools')}>
        <button
          type="button"
          className="icon-button"
          aria-label={t('photo.zoomOut')}
          onClick={() => apply(zoomAt(view.current, view.current.scale / 1.5, center()))}
          disabled={!zoomed}
        >
          −
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('photo.zoomIn')}
          onClick={() => apply(zoomAt(view.current, view.current.scale * 1.5, center()))}
        >
          +
        </button>
        <button type="button" className="icon-button wide" onClick={reset} disabled={!zoomed}>
          {t('photo.reset')}
        </button>
      </div>
    </div>
  );
}
