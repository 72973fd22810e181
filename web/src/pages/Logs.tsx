import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { useClient, useQuery, useSubscription } from 'urql';
import { graphql, useFragment as fragmentData } from '../gql';
import type { LogLevel } from '../gql/graphql';
import { LogBuffer, highlightParts, type LogLine } from '../lib/log-buffer';
import { clock } from '../lib/time';

const LEVELS: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const ROW = 22;

const ChannelsQuery = graphql(/* GraphQL */ `
  query LogChannels {
    logChannels {
      name
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
 * A live tail of a channel or pattern: history first, then live from the last history cursor
 * (no gap). Pausing unsubscribes; resuming subscribes after the last line held, so the server
 * replays exactly what was missed.
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
  const [resumeAfter, setResumeAfter] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  const [hasOlder, setHasOlder] = useState(false);
  const [focus, setFocus] = useState<string | null>(null);
  const [following, setFollowing] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const [, render] = useReducer((n: number) => n + 1, 0);
  const buffer = useMemo(() => new LogBuffer(), []);
  const scroller = useRef<HTMLDivElement>(null);
  const [{ data: channels }] = useQuery({ query: ChannelsQuery });

  const level = minLevel || undefined;
  const loadPage = useCallback(
    async (vars: { before?: string; after?: string; first?: number; last?: number; search?: string }) => {
      const result = await client.query(HistoryQuery, { channel, minLevel: level, last: 200, ...vars }, { requestPolicy: 'network-only' }).toPromise();
      return result.data?.logHistory;
    },
    [client, channel, level],
  );

  // (re)start: history, then live after its last cursor
  useEffect(() => {
    let cancelled = false;
    setReady(false);
    setPaused(false);
    setFocus(null);
    buffer.clear();
    void loadPage({}).then((page) => {
      if (cancelled || !page) return;
      buffer.prepend(page.edges.map((e) => fragmentData(LogLineFragment, e.node) as LogLine));
      setHasOlder(page.pageInfo.hasPreviousPage);
      setResumeAfter(buffer.lastCursor ?? '0');
      setReady(true);
      setFollowing(true);
      render();
    });
    return () => {
      cancelled = true;
    };
  }, [buffer, loadPage]);

  const [{ error }] = useSubscription(
    { query: LogsSubscription, variables: { channel, minLevel: level, after: resumeAfter }, pause: !ready || paused },
    (_prev, data) => {
      if (buffer.append([fragmentData(LogLineFragment, data.logs) as LogLine]) && !following) setUnseen((n) => n + 1);
      render();
      return data;
    },
  );

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
    const page = await loadPage({ before });
    loadingOlder.current = false;
    if (!page) return;
    const added = buffer.prepend(page.edges.map((e) => fragmentData(LogLineFragment, e.node) as LogLine));
    setHasOlder(page.pageInfo.hasPreviousPage);
    render();
    // keep the reader's place
    if (added && scroller.current) scroller.current.scrollTop += added * ROW;
  }

  function togglePause() {
    if (paused) setResumeAfter(buffer.lastCursor ?? resumeAfter);
    setPaused(!paused);
  }

  async function runSearch() {
    if (!search) return setHits(null);
    const page = await loadPage({ search, last: 200 });
    setHits((page?.edges.map((e) => fragmentData(LogLineFragment, e.node) as LogLine) ?? []).reverse());
  }

  /** Shows a search hit among its neighbours; live lines wait (paused) until "Jump to live". */
  async function jumpTo(hit: LogLine) {
    setPaused(true);
    const [before, after] = await Promise.all([loadPage({ before: String(Number(hit.cursor) + 1), last: 100 }), loadPage({ after: hit.cursor, first: 100 })]);
    buffer.clear();
    buffer.prepend([...(before?.edges ?? []), ...(after?.edges ?? [])].map((e) => fragmentData(LogLineFragment, e.node) as LogLine));
    setHasOlder(before?.pageInfo.hasPreviousPage ?? false);
    setFocus(hit.cursor);
    setFollowing(false);
    render();
    requestAnimationFrame(() => virtual.scrollToIndex(buffer.indexOf(hit.cursor), { align: 'center' }));
  }

  function jumpToLive() {
    if (focus) {
      // back from a search context: reload the tail
      setFocus(null);
      setChannel((c) => c);
      setReady(false);
      buffer.clear();
      void loadPage({}).then((page) => {
        buffer.prepend(page?.edges.map((e) => fragmentData(LogLineFragment, e.node) as LogLine) ?? []);
        setResumeAfter(buffer.lastCursor ?? '0');
        setPaused(false);
        setReady(true);
        setFollowing(true);
        render();
      });
      return;
    }
    setFollowing(true);
    setUnseen(0);
    virtual.scrollToIndex(lines.length - 1, { align: 'end' });
  }

  return (
    <div className="logs">
      <div className="panel">
        <div className="row">
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              setChannel(draft.trim() || '*');
            }}
          >
            <input aria-label="Channel" list="channels" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="channel or pattern, e.g. etl:*" style={{ width: 240 }} />
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
          <input aria-label="Highlight" value={highlight} onChange={(e) => setHighlight(e.target.value)} placeholder="highlight…" />
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault();
              void runSearch();
            }}
          >
            <input aria-label="Search history" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="search history…" />
          </form>
          <span className="grow" />
          <span className="muted" data-testid="line-count">
            {lines.length.toLocaleString()} lines
          </span>
          <button onClick={togglePause}>{paused ? 'Resume' : 'Pause'}</button>
        </div>
        {error && <p className="error">{error.message}</p>}
        {hits && (
          <div className="hits mono">
            <div className="muted">{hits.length} matches (newest first)</div>
            {hits.map((hit) => (
              <div key={hit.cursor} className="log-line" style={{ cursor: 'pointer' }} onClick={() => void jumpTo(hit)}>
                <span className="ts">{clock(hit.timestamp)}</span>
                <span className="ch">{hit.channel}</span>
                <span className="msg">{highlightParts(hit.message, search).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : p.text))}</span>
              </div>
            ))}
          </div>
        )}
      </div>
      <div className="log-view mono" ref={scroller} onScroll={onScroll} data-testid="log-view">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const line = lines[item.index]!;
            return (
              <div
                key={line.cursor}
                className={`log-line ${focus === line.cursor ? 'focus' : ''}`}
                data-cursor={line.cursor}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
              >
                <span className="ts">{clock(line.timestamp)}</span>
                <span className={`lvl ${line.level}`}>{line.level}</span>
                {channel.endsWith('*') && <span className="ch">{line.channel}</span>}
                <span className="msg" title={line.fields ? JSON.stringify(line.fields, null, 2) : undefined}>
                  {highlightParts(line.message, highlight).map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : p.text))}
                </span>
                <button className="copy" onClick={() => void navigator.clipboard?.writeText(`${line.timestamp} ${line.level} ${line.channel} ${line.message}`)}>
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
