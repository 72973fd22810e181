import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { PageHeader } from '../components/ui/PageHeader';
import { ErrorNote, Loading } from '../components/ui/States';
import { graphql, useFragment as fragmentData } from '../gql';
import type { LogLevel } from '../gql/graphql';
import { channelColour, type Theme } from '../lib/channel-colour';
import { LogBuffer, type LogLine } from '../lib/log-buffer';
import { linesAsJsonLines, linesAsText, SCAN_LIMIT, scanHistory } from '../lib/log-export';
import { expandLogRow } from '../lib/log-row';
import { LOG_LEVELS, logViewFromQuery, logViewToQuery, RELATIVE_RANGES, resolveTimeRange, type LogViewState, type RelativeRange } from '../lib/log-view-url';
import { compileSearch, splitByRanges, type CompiledSearch } from '../lib/search';
import { navigate } from '../lib/route';
import { useStream } from '../lib/stream/use-stream';
import { useTheme } from '../lib/theme';
import { clock } from '../lib/time';

const ROW = 24;
/** Hits a history search lists at most. */
const MAX_HITS = 200;
/** The ranges the picker offers (a link may carry any of RELATIVE_RANGES). */
const PICKER_RANGES: readonly RelativeRange[] = ['15m', '1h', '24h'];
const RANGE_LABELS: Record<RelativeRange, string> = { '5m': 'last 5 min', '15m': 'last 15 min', '1h': 'last hour', '6h': 'last 6 hours', '24h': 'last 24 hours', '7d': 'last 7 days' };

const ChannelsQuery = graphql(/* GraphQL */ `
  query LogChannels {
    logChannels {
      name
      lastCursor
    }
  }
`);

const LogLineFragment = graphql(/* GraphQL */ `
  fragment LogLine_entry on LogEntry {
    cursor
    channel
    level
    message
    timestamp
    fields
  }
`);

const HistoryQuery = graphql(/* GraphQL */ `
  query LogHistory($channel: String!, $before: String, $last: Int, $after: String, $first: Int, $minLevel: LogLevel, $search: String) {
    logHistory(channel: $channel, before: $before, last: $last, after: $after, first: $first, minLevel: $minLevel, search: $search) {
      edges {
        node {
          ...LogLine_entry
        }
      }
      pageInfo {
        hasPreviousPage
      }
    }
  }
`);

const LogsSubscription = graphql(/* GraphQL */ `
  subscription Logs($channel: String!, $after: String, $minLevel: LogLevel) {
    logs(channel: $channel, after: $after, minLevel: $minLevel) {
      ...LogLine_entry
    }
  }
`);

type Hits = { lines: LogLine[]; note: string };

/**
 * A live tail of a channel or pattern: history first, then live after a cursor read before the
 * history (no gap, and never a full replay from "0"). Pausing unsubscribes; resuming subscribes
 * after the last line held, so the server replays exactly what was missed. Lines the server no
 * longer stores when we come back (`CURSOR_EXPIRED`) are marked with a gap row.
 *
 * Rows have the height of what they show (wrapped, or expanded to the pretty-printed message and
 * its fields) and stay virtualised. The view's state — channel, level, search, range, wrap and
 * where it is paused — is the URL, so a link reproduces it. The server's history has no regex
 * and no time bounds: those are applied here over the newest {@link SCAN_LIMIT} lines.
 */
export function LogsPage({ params }: { params: URLSearchParams }) {
  const client = useClient();
  const theme = useTheme().effective as Theme;
  // the page is keyed by its URL: a link followed opens a fresh view; changes made here replace the URL
  const initial = useMemo(() => logViewFromQuery(params), [params]);
  const channel = initial.channels[0] ?? '*';
  const [draft, setDraft] = useState(channel);
  const [view, setView] = useState<LogViewState>(initial);
  const [searchDraft, setSearchDraft] = useState(initial.search);
  const [customRange, setCustomRange] = useState(() => ({ from: toLocalInput(initial.from), to: toLocalInput(initial.to), open: !!(initial.from || initial.to) }));
  const [hits, setHits] = useState<Hits | null>(null);
  const [searching, setSearching] = useState(false);
  const [paused, setPaused] = useState(!!initial.pausedAt);
  // where the live stream starts: undefined while loading history, null for "live only"
  const [resumeAfter, setResumeAfter] = useState<string | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [streamError, setStreamError] = useState<string | null>(null);
  const [rangeNote, setRangeNote] = useState<string | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const [focus, setFocus] = useState<string | null>(initial.pausedAt);
  const [following, setFollowing] = useState(!initial.pausedAt);
  const [unseen, setUnseen] = useState(0);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [tail, restartTail] = useReducer((n: number) => n + 1, 0);
  const [version, render] = useReducer((n: number) => n + 1, 0);
  const buffer = useMemo(() => new LogBuffer(), []);
  const channelsSeen = useRef(new Map<string, number>());
  const scroller = useRef<HTMLDivElement>(null);
  const [{ data: channels }] = useQuery({ query: ChannelsQuery });
  const ready = resumeAfter !== undefined;
  const level = view.level ?? undefined;
  const ranged = !!(view.last || view.from || view.to);
  // an absolute end is history only: nothing live can fall inside it
  const closedRange = !!view.to && !view.last;
  const search = useMemo(() => compileSearch(view.search, { regex: view.regex, caseSensitive: view.caseSensitive }), [view.search, view.regex, view.caseSensitive]);
  const wildcard = channel.includes('*');

  const addLines = useCallback(
    (lines: LogLine[], at: 'start' | 'end') => {
      for (const line of lines) if (!isGap(line)) channelsSeen.current.set(line.channel, (channelsSeen.current.get(line.channel) ?? 0) + 1);
      return at === 'start' ? buffer.prepend(lines) : buffer.append(lines);
    },
    [buffer],
  );

  const loadPage = useCallback(
    async (vars: { before?: string; after?: string; first?: number; last?: number; search?: string }) => {
      const result = await client.query(HistoryQuery, { channel, minLevel: level, last: 200, ...vars }, { requestPolicy: 'network-only' }).toPromise();
      if (result.error) throw new Error(result.error.graphQLErrors[0]?.message ?? 'Cannot reach the server');
      return { lines: result.data!.logHistory.edges.map((e) => fragmentData(LogLineFragment, e.node) as LogLine), hasOlder: result.data!.logHistory.pageInfo.hasPreviousPage };
    },
    [client, channel, level],
  );

  // the view's state is the URL (replaced, not pushed: every keystroke is not a page to go back to)
  const pausedAt = paused ? (focus ?? buffer.lastCursor) : null;
  const query = logViewToQuery({ ...view, channels: [channel], pausedAt });
  useEffect(() => {
    const hash = `#/logs${query ? `?${query}` : ''}`;
    if (window.location.hash !== hash) history.replaceState(null, '', hash);
  }, [query]);

  // (re)start: the log's position, then history, then live after whichever is later
  const rangeKey = `${view.last}|${view.from}|${view.to}`;
  useEffect(() => {
    let cancelled = false;
    setResumeAfter(undefined);
    setLoadError(null);
    setStreamError(null);
    setRangeNote(null);
    setExpanded(new Set());
    buffer.clear();
    channelsSeen.current.clear();
    render();
    void (async () => {
      // read first: any entry committed after this position is replayed by the stream
      const known = await client.query(ChannelsQuery, {}, { requestPolicy: 'network-only' }).toPromise();
      // no channel yet: the log is empty, so its position is the start ("0"), not unknown — a
      // first line stored while this view loads is then replayed, not missed by a live-only tail
      const position = known.data ? (maxCursor(known.data.logChannels.map((c) => c.lastCursor)) ?? '0') : null;
      if (ranged) {
        const { from, to } = resolveTimeRange(view);
        const result = await scanHistory({ fetchPage: (before, last) => loadPage(before ? { before, last } : { last }), from: from?.getTime() ?? null, to: to?.getTime() ?? null });
        if (cancelled) return;
        addLines(result.lines, 'start');
        setHasOlder(false);
        setRangeNote(
          `Time range applied in the browser over the newest ${SCAN_LIMIT.toLocaleString()} lines` +
            (result.truncated ? ` — older lines in the range were not read (narrow the channel or level).` : '.'),
        );
      } else {
        const page = await loadPage(initial.pausedAt && tail === 0 ? { before: (BigInt(initial.pausedAt) + BigInt(1)).toString() } : {});
        if (cancelled) return;
        addLines(page.lines, 'start');
        setHasOlder(page.hasOlder);
      }
      setResumeAfter(closedRange ? null : maxCursor([buffer.lastCursor, position]));
      setFollowing(!(initial.pausedAt && tail === 0));
      render();
    })().catch((error: Error) => !cancelled && setLoadError(error.message));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the range is read through rangeKey; the paused cursor only on the first load
  }, [buffer, client, loadPage, tail, rangeKey, addLines]);

  useStream(LogsSubscription, { variables: { channel, minLevel: level ?? null, after: resumeAfter ?? null }, pause: !ready || paused || closedRange }, (event) => {
    if (event.kind === 'next') {
      setStreamError(null);
      if (addLines([fragmentData(LogLineFragment, event.data.logs) as LogLine], 'end') && !following) setUnseen((n) => n + 1);
    } else if (event.kind === 'gap') {
      buffer.append([gapLine(event.after, event.resumedAfter)]);
    } else if (event.kind === 'error') {
      setStreamError(event.error instanceof Error ? event.error.message : String(event.error));
    }
    render();
  });

  const filtering = view.only && search.ok && !search.empty;
  // "only matching": the rows are the held lines the search matches (gap markers stay: they say where lines are missing)
  const lines = useMemo(
    () => (filtering && search.ok ? buffer.all.filter((l) => isGap(l) || search.test(l.message)) : buffer.all),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version: the buffer changed in place
    [buffer, version, filtering, search],
  );
  const linesRef = useRef(lines);
  linesRef.current = lines;
  const virtual = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    getItemKey: (index) => lines[index]?.cursor ?? index,
    overscan: 40,
  });

  useEffect(() => {
    if (following && lines.length) virtual.scrollToIndex(lines.length - 1, { align: 'end' });
  });

  function onScroll() {
    const el = scroller.current!;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
    if (atBottom !== following) setFollowing(atBottom);
    if (atBottom) setUnseen(0);
    if (el.scrollTop < ROW * 5 && hasOlder) void loadOlder();
  }

  const loadingOlder = useRef(false);
  async function loadOlder() {
    if (loadingOlder.current || !buffer.firstCursor) return;
    loadingOlder.current = true;
    const page = await loadPage({ before: buffer.firstCursor }).catch(() => null);
    loadingOlder.current = false;
    if (!page) return;
    const before = scroller.current?.scrollHeight ?? 0;
    const added = addLines(page.lines, 'start');
    setHasOlder(page.hasOlder);
    render();
    // keep the reader's place (rows not measured yet count at their estimate)
    requestAnimationFrame(() => {
      if (added && scroller.current) scroller.current.scrollTop += scroller.current.scrollHeight - before;
    });
  }

  function togglePause() {
    if (paused) {
      setFocus(null);
      setResumeAfter(buffer.lastCursor ?? resumeAfter ?? null);
    }
    setPaused(!paused);
  }

  function change(next: Partial<LogViewState>) {
    setView((v) => ({ ...v, ...next }));
  }

  function applySearch(text: string) {
    setSearchDraft(text);
    change({ search: text });
  }

  /** History search: plain text on the server; a regex (or case-sensitive text) here, over the newest lines. */
  async function runSearch() {
    if (!search.ok) return;
    if (search.empty) return setHits(null);
    setSearching(true);
    try {
      if (!view.regex && !view.caseSensitive) {
        const page = await loadPage({ search: view.search, last: MAX_HITS });
        setHits({ lines: [...page.lines].reverse(), note: `${page.lines.length}${page.hasOlder ? '+' : ''} matches, newest first (server search)` });
      } else {
        const { from, to } = resolveTimeRange(view);
        const result = await scanHistory({
          fetchPage: (before, last) => loadPage(before ? { before, last } : { last }),
          test: (line) => search.test(line.message),
          from: from?.getTime() ?? null,
          to: to?.getTime() ?? null,
          maxKept: MAX_HITS,
        });
        setHits({
          lines: result.lines.reverse(),
          note: `${result.lines.length} matches, newest first — ${view.regex ? 'regular expression' : 'case-sensitive search'} applied in the browser over the newest ${result.scanned.toLocaleString()} lines${result.truncated ? ' (stopped there)' : ''}`,
        });
      }
    } catch (error) {
      setHits({ lines: [], note: (error as Error).message });
    } finally {
      setSearching(false);
    }
  }

  /** Shows a search hit among its neighbours; live lines wait (paused) until "Jump to live". */
  async function jumpTo(hit: LogLine) {
    setPaused(true);
    const [before, after] = await Promise.all([loadPage({ before: String(BigInt(hit.cursor) + BigInt(1)), last: 100 }), loadPage({ after: hit.cursor, first: 100 })]);
    buffer.clear();
    addLines([...before.lines, ...after.lines], 'start');
    setHasOlder(before.hasOlder);
    setFocus(hit.cursor);
    setFollowing(false);
    render();
    requestAnimationFrame(() => {
      virtual.scrollToIndex(Math.max(0, linesRef.current.findIndex((l) => l.cursor === hit.cursor)), { align: 'center' });
      scroller.current?.focus();
    });
  }

  function jumpToLive() {
    // back from a search context (or a link to a paused cursor): reload the tail
    if (focus || paused) {
      setFocus(null);
      setPaused(false);
      return restartTail();
    }
    setFollowing(true);
    setUnseen(0);
    virtual.scrollToIndex(lines.length - 1, { align: 'end' });
  }

  const toggle = useCallback((cursor: string) => {
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(cursor)) next.add(cursor);
      return next;
    });
  }, []);

  function download(kind: 'text' | 'jsonl') {
    const shown = lines.filter((l) => !isGap(l));
    const body = kind === 'text' ? linesAsText(shown) : linesAsJsonLines(shown);
    const blob = new Blob([body], { type: kind === 'text' ? 'text/plain' : 'application/x-ndjson' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `logs-${channel.replace(/[^\w.-]+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.${kind === 'text' ? 'log' : 'jsonl'}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1_000);
  }

  function setRange(value: string) {
    if (value === 'custom') return setCustomRange((c) => ({ ...c, open: true }));
    setCustomRange((c) => ({ ...c, open: false }));
    change({ last: (value || null) as RelativeRange | null, from: null, to: null });
  }

  function applyCustom() {
    const from = fromLocalInput(customRange.from);
    const to = fromLocalInput(customRange.to);
    change({ last: null, from, to: to && from && to < from ? from : to });
  }

  const chips = wildcard ? [...channelsSeen.current.entries()].sort((a, b) => b[1] - a[1]).slice(0, 16) : [];
  const rangeValue = view.last ?? (view.from || view.to || customRange.open ? 'custom' : '');
  return (
    <div className={`logs ${view.wrap ? 'wrap' : ''}`}>
      <PageHeader title={`Logs · ${channel}`} />
      <div className="panel" style={{ padding: 0 }}>
        <div className="log-toolbar" role="toolbar" aria-label="Log view">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const next = draft.trim() || '*';
              if (next !== channel) navigate(`/logs?${logViewToQuery({ ...view, channels: [next], pausedAt: null })}`);
            }}
          >
            <input aria-label="Channel or pattern" list="channels" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="etl:*" style={{ width: 180 }} />
            <datalist id="channels">
              <option value="*" />
              {channels?.logChannels.map((c) => <option key={c.name} value={c.name} />)}
            </datalist>
            <button type="submit">Open</button>
          </form>
          <select aria-label="Minimum level" value={view.level ?? ''} onChange={(e) => change({ level: (e.target.value || null) as LogLevel | null })}>
            <option value="">all levels</option>
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}+
              </option>
            ))}
          </select>
          <select aria-label="Time range" value={rangeValue} onChange={(e) => setRange(e.target.value)}>
            <option value="">live</option>
            {RELATIVE_RANGES.filter((r) => PICKER_RANGES.includes(r) || r === view.last).map((r) => (
              <option key={r} value={r}>
                {RANGE_LABELS[r]}
              </option>
            ))}
            <option value="custom">custom…</option>
          </select>
          <form
            className="search-form"
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              void runSearch();
            }}
          >
            <input
              aria-label="Search history"
              aria-describedby="search-help"
              aria-invalid={!search.ok}
              type="search"
              value={searchDraft}
              onChange={(e) => applySearch(e.target.value)}
              placeholder={view.regex ? 'regex, e.g. load|extract' : 'search…'}
              style={{ width: 190 }}
            />
            <label className="inline toggle" title="Regular expression">
              <input type="checkbox" checked={view.regex} onChange={(e) => change({ regex: e.target.checked })} /> .*
              <span className="visually-hidden">regular expression</span>
            </label>
            <label className="inline toggle" title="Match case">
              <input type="checkbox" checked={view.caseSensitive} onChange={(e) => change({ caseSensitive: e.target.checked })} /> Aa
              <span className="visually-hidden">match case</span>
            </label>
            <button type="submit" disabled={!search.ok || searching}>
              {searching ? 'Searching…' : 'Search'}
            </button>
          </form>
          <label className="inline">
            <input type="checkbox" checked={view.only} onChange={(e) => change({ only: e.target.checked })} /> Only matching
          </label>
          <label className="inline">
            <input type="checkbox" checked={view.wrap} onChange={(e) => change({ wrap: e.target.checked })} /> Wrap
          </label>
          <span className="grow" />
          <span className="muted" data-testid="line-count" aria-live="off">
            {filtering ? `${lines.length.toLocaleString()} of ${buffer.size.toLocaleString()} lines` : `${buffer.size.toLocaleString()} lines`}
          </span>
          <button onClick={() => download('text')} title="Download the lines of this view as text">
            Download .log
          </button>
          <button onClick={() => download('jsonl')} title="Download the lines of this view as JSON lines">
            Download .jsonl
          </button>
          <button onClick={togglePause} aria-pressed={paused} disabled={closedRange}>
            {paused ? 'Resume' : 'Pause'}
          </button>
        </div>
        <div id="search-help" className={search.ok ? 'visually-hidden' : 'search-error'} role={search.ok ? undefined : 'alert'} data-testid="search-error">
          {search.ok ? 'Matches are highlighted in the view; Enter searches the history.' : search.error}
        </div>
        {customRange.open && (
          <form
            className="row range-form"
            aria-label="Custom time range"
            onSubmit={(e) => {
              e.preventDefault();
              applyCustom();
            }}
          >
            <label className="inline">
              From <input type="datetime-local" step="1" value={customRange.from} onChange={(e) => setCustomRange((c) => ({ ...c, from: e.target.value }))} />
            </label>
            <label className="inline">
              To <input type="datetime-local" step="1" value={customRange.to} onChange={(e) => setCustomRange((c) => ({ ...c, to: e.target.value }))} />
            </label>
            <button type="submit">Apply range</button>
          </form>
        )}
        {chips.length > 1 && (
          <ul className="chips" aria-label="Channels in this view">
            {chips.map(([name, n]) => (
              <li key={name}>
                <a href={`#/logs?${logViewToQuery({ ...view, channels: [name], pausedAt: null })}`} className="chip" style={{ color: channelColour(name, theme) }} title={`${n} lines held — open ${name} alone`}>
                  <span aria-hidden="true">●</span> {name}
                </a>
              </li>
            ))}
          </ul>
        )}
        {rangeNote && (
          <p className="muted note" data-testid="range-note">
            {rangeNote}
          </p>
        )}
        {(loadError || streamError) && (
          <div style={{ padding: '0 10px' }}>
            <ErrorNote error={(loadError ?? streamError)!} />
          </div>
        )}
        {hits && (
          <section className="hits mono" aria-label="Search results">
            <div className="hits-head">
              <span className="muted" role="status">
                {hits.note}
              </span>
              <button className="icon-button" onClick={() => setHits(null)} aria-label="Close search results">
                ✕
              </button>
            </div>
            {hits.lines.map((hit) => (
              <button key={hit.cursor} className="log-line" data-hit={hit.cursor} onClick={() => void jumpTo(hit)}>
                <span className="ts">{clock(hit.timestamp)}</span>
                <span className="ch" style={{ color: channelColour(hit.channel, theme) }}>
                  {hit.channel}
                </span>
                <span className="msg">
                  <Highlighted text={firstLine(hit.message)} search={search} />
                </span>
              </button>
            ))}
          </section>
        )}
      </div>
      <div className="log-view mono" ref={scroller} onScroll={onScroll} data-testid="log-view" tabIndex={0} role="log" aria-label={`Log lines of ${channel}`} aria-busy={!ready}>
        {!ready && !loadError && <Loading label={ranged ? 'Reading the range…' : 'Loading history…'} />}
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const line = lines[item.index]!;
            const style = { position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` } as const;
            if (isGap(line)) {
              return (
                <div
                  key={`gap-${line.cursor}`}
                  ref={virtual.measureElement}
                  data-index={item.index}
                  className="log-gap"
                  data-gap={line.cursor}
                  style={style}
                  title={`cursors after ${(line.fields as { after: string | null }).after ?? 'the start'} up to ${line.cursor} are gone`}
                >
                  <span aria-hidden="true">⚠</span> {line.message}
                </div>
              );
            }
            return (
              <div key={line.cursor} ref={virtual.measureElement} data-index={item.index} style={style}>
                <LogRow
                  line={line}
                  open={expanded.has(line.cursor)}
                  focused={focus === line.cursor}
                  showChannel={wildcard}
                  colour={channelColour(line.channel, theme)}
                  wrap={view.wrap}
                  search={search}
                  onToggle={toggle}
                />
              </div>
            );
          })}
        </div>
        {(!following || focus || paused) && ready && (
          <button className="primary jump" onClick={jumpToLive}>
            ↓ Jump to live{unseen ? ` (${unseen} new)` : ''}
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * One log line: time, level, channel (its own colour), the message — the first line, or all of
 * it when wrapping — and, opened, the message pretty-printed (JSON indented, a stack trace in
 * full) with its fields. A button, so a click, Enter or Space opens it.
 */
const LogRow = memo(function LogRow({
  line,
  open,
  focused,
  showChannel,
  colour,
  wrap,
  search,
  onToggle,
}: {
  line: LogLine;
  open: boolean;
  focused: boolean;
  showChannel: boolean;
  colour: string;
  wrap: boolean;
  search: CompiledSearch;
  onToggle: (cursor: string) => void;
}) {
  const row = useMemo(() => (open ? expandLogRow(line) : null), [open, line]);
  const extra = wrap ? 0 : line.message.replace(/\n+$/, '').split('\n').length - 1;
  const text = wrap ? line.message : firstLine(line.message);
  return (
    <>
      <div className={`log-line ${focused ? 'focus' : ''} ${open ? 'open' : ''}`} data-cursor={line.cursor}>
        <button className="log-toggle" aria-expanded={open} onClick={() => onToggle(line.cursor)}>
          <Clock iso={line.timestamp} />
          <span className={`lvl ${line.level}`}>{line.level}</span>
          {showChannel && (
            <span className="ch" style={{ color: colour }}>
              {line.channel}
            </span>
          )}
          <span className="msg">
            <Highlighted text={text} search={search} />
          </span>
          {extra > 0 && <span className="more">+{extra} lines</span>}
          {!extra && line.fields != null && !open && <span className="more">{`{…}`}</span>}
        </button>
        <button className="copy" aria-label={`Copy line ${line.cursor}`} onClick={() => void navigator.clipboard?.writeText(`${line.timestamp} ${line.level} ${line.channel} ${line.message}`)}>
          copy
        </button>
      </div>
      {row && (
        <div className="log-detail" data-detail={line.cursor}>
          <div className="muted detail-head">
            {new Date(line.timestamp).toISOString()} · {line.channel} · cursor {line.cursor} · {row.kind === 'json' ? 'JSON message' : row.kind === 'multiline' ? `${row.hiddenLines + 1} lines` : 'text'}
          </div>
          <pre className="log-body" data-testid="log-body">
            <Highlighted text={row.body} search={search} />
          </pre>
          {row.fields.length > 0 && (
            <dl className="details log-fields" aria-label="Fields">
              {row.fields.map((f) => (
                <div key={f.key}>
                  <dt>{f.key}</dt>
                  <dd className={`mono type-${f.type}`}>{f.value}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      )}
    </>
  );
});

function Highlighted({ text, search }: { text: string; search: CompiledSearch }) {
  if (!search.ok || search.empty) return <>{text}</>;
  return (
    <>
      {splitByRanges(text, search.ranges(text)).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : p.text))}
    </>
  );
}

/** hh:mm:ss, then .mmm (hidden on phones) */
function Clock({ iso }: { iso: string }) {
  const text = clock(iso);
  return (
    <span className="ts">
      {text.slice(0, -4)}
      <span className="ts-ms">{text.slice(-4)}</span>
    </span>
  );
}

const firstLine = (message: string) => {
  const at = message.indexOf('\n');
  return at < 0 ? message : message.slice(0, at);
};

/** `2026-12-01T10:00:00.000Z` as a datetime-local value in the browser's zone, and back. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}
function fromLocalInput(value: string): string | null {
  return value && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null;
}

const GAP = 'GAP';

/** A row that says lines were lost: retention pruned them before we read them. */
function gapLine(after: string | null, resumedAfter: string): LogLine {
  return {
    cursor: resumedAfter,
    channel: '',
    level: GAP,
    timestamp: new Date().toISOString(),
    message: `Lines missed: retention removed some before this view caught up — resumed at the oldest stored line`,
    fields: { after, resumedAfter },
  };
}
const isGap = (line: LogLine) => line.level === GAP;

function maxCursor(cursors: readonly (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const c of cursors) if (c && (best === null || BigInt(c) > BigInt(best))) best = c;
  return best;
}
