import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { PageHeader } from '../components/ui/PageHeader';
import { ErrorNote, Loading } from '../components/ui/States';
import { graphql, useFragment as fragmentData } from '../gql';
import type { LogLevel } from '../gql/graphql';
import { LogBuffer, highlightParts, type LogLine } from '../lib/log-buffer';
import { useStream } from '../lib/stream/use-stream';
import { clock } from '../lib/time';

const LEVELS: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const ROW = 22;

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

/**
 * A live tail of a channel or pattern: history first, then live after a cursor read before the
 * history (no gap, and never a full replay from "0"). Pausing unsubscribes; resuming subscribes
 * after the last line held, so the server replays exactly what was missed. Lines the server no
 * longer stores when we come back (`CURSOR_EXPIRED`) are marked with a gap row.
 */
export function LogsPage({ params }: { params: URLSearchParams }) {
  const client = useClient();
  const [channel, setChannel] = useState(params.get('channel') ?? '*');
  const [draft, setDraft] = useState(channel);
  const [minLevel, setMinLevel] = useState<LogLevel | ''>('');
  const [highlight, setHighlight] = useState('');
  const [search, setSearch] = useState('');
  const [hits, setHits] = useState<LogLine[] | null>(null);
  const [paused, setPaused] = useState(false);
  // where the live stream starts: undefined while loading history, null for "live only"
  const [resumeAfter, setResumeAfter] = useState<string | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [streamError, setStreamError] = useState<string | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const [focus, setFocus] = useState<string | null>(null);
  const [following, setFollowing] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const [tail, restartTail] = useReducer((n: number) => n + 1, 0);
  const [, render] = useReducer((n: number) => n + 1, 0);
  const buffer = useMemo(() => new LogBuffer(), []);
  const scroller = useRef<HTMLDivElement>(null);
  const [{ data: channels }] = useQuery({ query: ChannelsQuery });
  const ready = resumeAfter !== undefined;

  const level = minLevel || undefined;
  const loadPage = useCallback(
    async (vars: { before?: string; after?: string; first?: number; last?: number; search?: string }) => {
      const result = await client.query(HistoryQuery, { channel, minLevel: level, last: 200, ...vars }, { requestPolicy: 'network-only' }).toPromise();
      if (result.error) throw new Error(result.error.graphQLErrors[0]?.message ?? 'Cannot reach the server');
      return result.data!.logHistory;
    },
    [client, channel, level],
  );

  // (re)start: the log's position, then history, then live after whichever is later
  useEffect(() => {
    let cancelled = false;
    setResumeAfter(undefined);
    setLoadError(null);
    setStreamError(null);
    setPaused(false);
    setFocus(null);
    buffer.clear();
    render();
    void (async () => {
      // read first: any entry committed after this position is replayed by the stream
      const known = await client.query(ChannelsQuery, {}, { requestPolicy: 'network-only' }).toPromise();
      const position = maxCursor(known.data?.logChannels.map((c) => c.lastCursor) ?? []);
      const page = await loadPage({});
      if (cancelled) return;
      buffer.prepend(page.edges.map((e) => fragmentData(LogLineFragment, e.node) as LogLine));
      setHasOlder(page.pageInfo.hasPreviousPage);
      setResumeAfter(maxCursor([buffer.lastCursor, position]));
      setFollowing(true);
      render();
    })().catch((error: Error) => !cancelled && setLoadError(error.message));
    return () => {
      cancelled = true;
    };
  }, [buffer, client, loadPage, tail]);

  useStream(LogsSubscription, { variables: { channel, minLevel: level ?? null, after: resumeAfter ?? null }, pause: !ready || paused }, (event) => {
    if (event.kind === 'next') {
      setStreamError(null);
      if (buffer.append([fragmentData(LogLineFragment, event.data.logs) as LogLine]) && !following) setUnseen((n) => n + 1);
    } else if (event.kind === 'gap') {
      buffer.append([gapLine(event.after, event.resumedAfter)]);
    } else if (event.kind === 'error') {
      setStreamError(event.error instanceof Error ? event.error.message : String(event.error));
    }
    render();
  });

  const lines = buffer.all;
  const virtual = useVirtualizer({ count: lines.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 30 });

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
    const before = buffer.firstCursor;
    const page = await loadPage({ before }).catch(() => null);
    loadingOlder.current = false;
    if (!page) return;
    const added = buffer.prepend(page.edges.map((e) => fragmentData(LogLineFragment, e.node) as LogLine));
    setHasOlder(page.pageInfo.hasPreviousPage);
    render();
    // keep the reader's place
    if (added && scroller.current) scroller.current.scrollTop += added * ROW;
  }

  function togglePause() {
    if (paused) setResumeAfter(buffer.lastCursor ?? resumeAfter ?? null);
    setPaused(!paused);
  }

  async function runSearch() {
    if (!search) return setHits(null);
    const page = await loadPage({ search, last: 200 }).catch(() => null);
    setHits((page?.edges.map((e) => fragmentData(LogLineFragment, e.node) as LogLine) ?? []).reverse());
  }

  /** Shows a search hit among its neighbours; live lines wait (paused) until "Jump to live". */
  async function jumpTo(hit: LogLine) {
    setPaused(true);
    const [before, after] = await Promise.all([loadPage({ before: String(Number(hit.cursor) + 1), last: 100 }), loadPage({ after: hit.cursor, first: 100 })]);
    buffer.clear();
    buffer.prepend([...before.edges, ...after.edges].map((e) => fragmentData(LogLineFragment, e.node) as LogLine));
    setHasOlder(before.pageInfo.hasPreviousPage);
    setFocus(hit.cursor);
    setFollowing(false);
    render();
    requestAnimationFrame(() => {
      virtual.scrollToIndex(buffer.indexOf(hit.cursor), { align: 'center' });
      scroller.current?.focus();
    });
  }

  function jumpToLive() {
    // back from a search context: reload the tail
    if (focus) return restartTail();
    setFollowing(true);
    setUnseen(0);
    virtual.scrollToIndex(lines.length - 1, { align: 'end' });
  }

  const wildcard = channel.endsWith('*');
  return (
    <div className="logs">
      <PageHeader title={`Logs · ${channel}`} />
      <div className="panel" style={{ padding: 0 }}>
        <div className="log-toolbar" role="toolbar" aria-label="Log view">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setChannel(draft.trim() || '*');
            }}
          >
            <input aria-label="Channel or pattern" list="channels" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="etl:*" style={{ width: 200 }} />
            <datalist id="channels">
              <option value="*" />
              {channels?.logChannels.map((c) => <option key={c.name} value={c.name} />)}
            </datalist>
            <button type="submit">Open</button>
          </form>
          <select aria-label="Minimum level" value={minLevel} onChange={(e) => setMinLevel(e.target.value as LogLevel | '')}>
            <option value="">all levels</option>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}+
              </option>
            ))}
          </select>
          <input aria-label="Highlight" value={highlight} onChange={(e) => setHighlight(e.target.value)} placeholder="highlight…" style={{ width: 130 }} />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void runSearch();
            }}
          >
            <input aria-label="Search history" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="search history…" style={{ width: 160 }} />
            <button type="submit">Search</button>
          </form>
          <span className="grow" />
          <span className="muted" data-testid="line-count" aria-live="off">
            {lines.length.toLocaleString()} lines
          </span>
          <button onClick={togglePause} aria-pressed={paused}>
            {paused ? 'Resume' : 'Pause'}
          </button>
        </div>
        {(loadError || streamError) && (
          <div style={{ padding: '0 10px' }}>
            <ErrorNote error={(loadError ?? streamError)!} />
          </div>
        )}
        {hits && (
          <div className="hits mono" style={{ padding: '0 10px 10px' }}>
            <div className="muted" role="status">
              {hits.length} matches (newest first)
            </div>
            {hits.map((hit) => (
              <button key={hit.cursor} className="log-line" data-hit={hit.cursor} onClick={() => void jumpTo(hit)}>
                <span className="ts">{clock(hit.timestamp)}</span>
                <span className="ch">{hit.channel}</span>
                <span className="msg">{highlightParts(hit.message, search).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : p.text))}</span>
              </button>
            ))}
          </div>
        )}
      </div>
      <div className="log-view mono" ref={scroller} onScroll={onScroll} data-testid="log-view" tabIndex={0} role="log" aria-label={`Log lines of ${channel}`} aria-busy={!ready}>
        {!ready && !loadError && <Loading label="Loading history…" />}
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const line = lines[item.index]!;
            const style = { position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` } as const;
            if (isGap(line)) {
              return (
                <div key={`gap-${line.cursor}`} className="log-gap" data-gap={line.cursor} style={style} title={`cursors after ${(line.fields as { after: string | null }).after ?? 'the start'} up to ${line.cursor} are gone`}>
                  <span aria-hidden="true">⚠</span> {line.message}
                </div>
              );
            }
            return (
              <div key={line.cursor} className={`log-line ${focus === line.cursor ? 'focus' : ''}`} data-cursor={line.cursor} style={style}>
                <Clock iso={line.timestamp} />
                <span className={`lvl ${line.level}`}>{line.level}</span>
                {wildcard && <span className="ch">{line.channel}</span>}
                <span className="msg" title={line.fields ? JSON.stringify(line.fields, null, 2) : undefined}>
                  {highlightParts(line.message, highlight).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : p.text))}
                </span>
                <button className="copy" aria-label={`Copy line ${line.cursor}`} onClick={() => void navigator.clipboard?.writeText(`${line.timestamp} ${line.level} ${line.channel} ${line.message}`)}>
                  copy
                </button>
              </div>
            );
          })}
        </div>
        {(!following || focus) && (
          <button className="primary jump" onClick={jumpToLive}>
            ↓ Jump to live{unseen ? ` (${unseen} new)` : ''}
          </button>
        )}
      </div>
    </div>
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
