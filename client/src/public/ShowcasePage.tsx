import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { LANGUAGES, setLanguage, useLanguage } from '../i18n';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { nameIn, publicPhotoUrl, type PhotoRef, type ShowcaseView, type Winner } from './types';

const DEFAULT_INTERVAL = 8;
const INTERVALS = [5, 8, 10, 15, 20, 30, 60];
/** Cursor and controls disappear after this long without the mouse moving. */
const IDLE_MS = 2500;

type Slide = { work: Winner; photo: PhotoRef; n: number; of: number };

/** `?interval=` in seconds, 2 to 600; anything else falls back to the default. */
function intervalFrom(param: string | null): number {
  const n = Number(param);
  return param && Number.isInteger(n) && n >= 2 && n <= 600 ? n : DEFAULT_INTERVAL;
}

/**
 * /winners/:contestId/showcase?tier=&interval=: the closing event's slideshow, one slide per photo of each
 * work of the tier (the first tier by default), in code order.
 */
export function ShowcasePage() {
  const { t } = useTranslation('public');
  const contestId = useParams().contestId ?? '';
  const [search] = useSearchParams();
  const tier = search.get('tier');
  const view = useApi<ShowcaseView>(
    `/public/contests/${seg(contestId)}/showcase${tier ? `?tier=${encodeURIComponent(tier)}` : ''}`,
  );
  usePageTitle(
    view.status === 'ok' ? `${view.data.contest.name} · ${t('showcase.title')}` : t('showcase.title'),
  );
  const back = `/winners/${seg(contestId)}`;

  if (view.status === 'loading') return <Loading />;
  if (view.status === 'error') {
    const gone = view.error.status === 404 || view.error.status === 400;
    return (
      <>
        <ErrorNotice
          error={view.error}
          message={gone ? t('showcase.notFound') : undefined}
          onRetry={gone ? undefined : view.reload}
        />
        <Link to={gone ? '/winners' : back}>{t('showcase.backToWinners')}</Link>
      </>
    );
  }
  const slides: Slide[] = view.data.works.flatMap((work) =>
    work.photos.map((photo, i) => ({ work, photo, n: i + 1, of: work.photos.length })),
  );
  if (slides.length === 0) {
    return (
      <div className="card narrow">
        <p>{t('showcase.empty')}</p>
        <Link className="button button-primary" to={back}>
          {t('showcase.backToWinners')}
        </Link>
      </div>
    );
  }
  return (
    <Slideshow
      key={`${view.data.contest.id}:${view.data.tierId}`}
      data={view.data}
      slides={slides}
      initialInterval={intervalFrom(search.get('interval'))}
      back={back}
    />
  );
}

function Slideshow({
  data,
  slides,
  initialInterval,
  back,
}: {
  data: ShowcaseView;
  slides: Slide[];
  initialInterval: number;
  back: string;
}) {
  const { t } = useTranslation('public');
  const { t: tc } = useTranslation();
  const lng = useLanguage();
  const navigate = useNavigate();
  const rootRef = useRef<HTMLDivElement>(null);
  const idleTimer = useRef<number | undefined>(undefined);
  const preloaded = useRef<HTMLImageElement | null>(null);
  const [index, setIndex] = useState(0);
  const [paused, setPaused] = useState(false);
  const [interval, setIntervalSeconds] = useState(initialInterval);
  const [idle, setIdle] = useState(false);
  const [fullscreen, setFullscreen] = useState(false);
  const count = slides.length;
  const slide = slides[Math.min(index, count - 1)]!;
  const tier = data.contest.tiers.find((x) => x.id === data.tierId);
  const tierName = tier ? nameIn(tier.name, lng) : '';
  const category = data.contest.categories.find((c) => c.id === slide.work.category);
  const url = (s: Slide) => publicPhotoUrl(data.contest.id, s.work.entryId, s.photo.id, 'large');
  const nextUrl = count > 1 ? url(slides[(index + 1) % count]!) : null;

  // Auto-advance; any change of slide (by key, button or timer) starts the interval again.
  useEffect(() => {
    if (paused || count < 2) return;
    const id = window.setTimeout(() => setIndex((i) => (i + 1) % count), interval * 1000);
    return () => window.clearTimeout(id);
  }, [index, paused, interval, count]);

  // The next photo is fetched while this one shows, so the change is instant on the projector.
  useEffect(() => {
    if (!nextUrl) return;
    const img = new Image();
    img.decoding = 'async';
    img.src = nextUrl;
    preloaded.current = img; // held, so the download is not dropped with the object
  }, [nextUrl]);

  // The slideshow covers the page: what lies behind it takes no focus and is hidden from screen readers.
  useEffect(() => {
    const app = document.getElementById('root');
    if (!app) return;
    app.inert = true;
    return () => {
      app.inert = false;
    };
  }, []);

  useEffect(() => {
    const onChange = () => setFullscreen(document.fullscreenElement === rootRef.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  // The cursor and the controls stay out of the picture until the mouse moves.
  useEffect(() => {
    const wake = () => {
      setIdle(false);
      window.clearTimeout(idleTimer.current);
      idleTimer.current = window.setTimeout(() => setIdle(true), IDLE_MS);
    };
    wake();
    window.addEventListener('pointermove', wake);
    window.addEventListener('pointerdown', wake);
    return () => {
      window.removeEventListener('pointermove', wake);
      window.removeEventListener('pointerdown', wake);
      window.clearTimeout(idleTimer.current);
    };
  }, []);

  const go = (delta: number) => setIndex((i) => (((i + delta) % count) + count) % count);

  function toggleFullscreen() {
    const root = rootRef.current;
    if (!root || !document.fullscreenEnabled) return;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void root.requestFullscreen().catch(() => undefined);
  }

  function close() {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    void navigate(back);
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const control = e.target instanceof Element ? e.target.closest('button, select, a, input') : null;
      // Keys on a focused control do what the control does; the select keeps its arrows too.
      if (control && (e.key === ' ' || e.key === 'Enter')) return;
      if (control?.tagName === 'SELECT' && e.key.startsWith('Arrow')) return;
      switch (e.key) {
        case 'ArrowRight':
        case 'ArrowDown':
        case 'PageDown':
          go(1);
          break;
        case 'ArrowLeft':
        case 'ArrowUp':
        case 'PageUp':
          go(-1);
          break;
        case 'Home':
          setIndex(0);
          break;
        case 'End':
          setIndex(count - 1);
          break;
        case ' ':
          setPaused((p) => !p);
          break;
        case 'f':
        case 'F':
          toggleFullscreen();
          break;
        case 'Escape':
          // In full screen the browser takes Esc to leave it; out of it, Esc leaves the showcase.
          if (!document.fullscreenElement) close();
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  /** A mouse click leaves the focus on the stage, so Space pauses instead of pressing the button again. */
  function refocus(e: MouseEvent<HTMLButtonElement>) {
    if (e.detail > 0) rootRef.current?.focus();
  }

  const { work } = slide;
  const position = t('showcase.counter', { n: index + 1, total: count });
  return createPortal(
    <div
      ref={rootRef}
      className="showcase"
      data-idle={idle}
      data-paused={paused}
      tabIndex={-1}
      role="region"
      aria-roledescription={t('showcase.title')}
      aria-label={t('showcase.label', { contest: data.contest.name, tier: tierName })}
    >
      <div
        className="showcase-slide"
        role="group"
        aria-roledescription={t('showcase.slideRole')}
        aria-label={t('showcase.slide', { n: index + 1, total: count })}
        aria-live={paused ? 'polite' : 'off'}
        aria-atomic="true"
      >
        <div className="showcase-photo">
          <img
            key={slide.photo.id}
            src={url(slide)}
            width={slide.photo.width}
            height={slide.photo.height}
            alt={t('showcase.photoAlt', {
              title: work.title,
              teacher: work.teacherName,
              school: work.school,
            })}
          />
        </div>
        <div className="showcase-caption">
          <div className="showcase-caption-main">
            {tierName && <span className="showcase-tier">{tierName}</span>}
            <span className="showcase-code">{work.code}</span>
            <span className="showcase-title">{work.title}</span>
          </div>
          <div className="showcase-caption-sub">
            <span className="showcase-teacher">{work.teacherName}</span>
            <span className="showcase-school">{work.school}</span>
            {category && <span>{nameIn(category.name, lng)}</span>}
            {slide.of > 1 && <span>{t('showcase.photoOf', { n: slide.n, total: slide.of })}</span>}
          </div>
          <div className="showcase-position" aria-hidden="true">
            {position}
          </div>
        </div>
      </div>
      {!paused && count > 1 && (
        <div
          key={`${index}:${interval}`}
          className="showcase-timer"
          style={{ animationDuration: `${interval}s` }}
          aria-hidden="true"
        />
      )}
      <div className="showcase-controls">
        <button
          type="button"
          className="showcase-button"
          onClick={(e) => {
            go(-1);
            refocus(e);
          }}
        >
          <span aria-hidden="true">←</span> {t('showcase.prev')}
        </button>
        <button
          type="button"
          className="showcase-button showcase-play"
          aria-pressed={paused}
          onClick={(e) => {
            setPaused((p) => !p);
            refocus(e);
          }}
        >
          {paused ? t('showcase.play') : t('showcase.pause')}
        </button>
        <button
          type="button"
          className="showcase-button"
          onClick={(e) => {
            go(1);
            refocus(e);
          }}
        >
          {t('showcase.next')} <span aria-hidden="true">→</span>
        </button>
        <label className="showcase-interval">
          <span>{t('showcase.interval')}</span>
          <select value={interval} onChange={(e) => setIntervalSeconds(Number(e.target.value))}>
            {[...new Set([...INTERVALS, interval])]
              .sort((a, b) => a - b)
              .map((s) => (
                <option key={s} value={s}>
                  {t('showcase.seconds', { n: s })}
                </option>
              ))}
          </select>
        </label>
        {document.fullscreenEnabled && (
          <button
            type="button"
            className="showcase-button"
            aria-pressed={fullscreen}
            onClick={(e) => {
              toggleFullscreen();
              refocus(e);
            }}
          >
            {fullscreen ? t('showcase.exitFullscreen') : t('showcase.fullscreen')}
          </button>
        )}
        <button
          type="button"
          className="showcase-button"
          onClick={(e) => {
            close();
            refocus(e);
          }}
        >
          {t('showcase.close')}
        </button>
        <div className="showcase-lang" role="group" aria-label={tc('lang.label')}>
          {LANGUAGES.map((l) => (
            <button
              key={l}
              type="button"
              lang={l === 'zh' ? 'zh-CN' : 'en'}
              className="showcase-button"
              aria-pressed={lng === l}
              onClick={(e) => {
                setLanguage(l);
                refocus(e);
              }}
            >
              {tc(`lang.${l}`)}
            </button>
          ))}
        </div>
        <p className="showcase-keys">{t('showcase.keys')}</p>
        {paused && (
          <p className="showcase-paused" role="status">
            {t('showcase.paused')}
          </p>
        )}
      </div>
    </div>,
    document.body,
  );
}
