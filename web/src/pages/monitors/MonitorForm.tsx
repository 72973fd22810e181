import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { MonitorInput } from '../../gql/graphql';
import { mutationError } from '../../lib/errors';

const CreateMonitor = graphql(/* GraphQL */ `
  mutation CreateMonitor($input: MonitorInput!) {
    createMonitor(input: $input) {
      id
      name
    }
  }
`);

const UpdateMonitor = graphql(/* GraphQL */ `
  mutation UpdateMonitor($id: ID!, $input: MonitorInput!) {
    updateMonitor(id: $id, input: $input) {
      id
      name
      kind
      url
      method
      intervalSeconds
      timeoutMs
      expectedStatus
      keyword
      retries
      checkSsl
    }
  }
`);

export interface MonitorSettings {
  name: string;
  kind: 'HTTP' | 'TCP';
  url: string;
  method: string;
  intervalSeconds: number;
  timeoutMs: number;
  expectedStatus: string;
  keyword?: string | null;
  retries: number;
  checkSsl: boolean;
}

type Draft = Record<'name' | 'kind' | 'url' | 'method' | 'intervalSeconds' | 'timeoutMs' | 'expectedStatus' | 'keyword' | 'retries', string> & { checkSsl: boolean };

const draftOf = (m?: MonitorSettings): Draft => ({
  name: m?.name ?? '',
  kind: m?.kind ?? 'HTTP',
  url: m?.url ?? '',
  method: m?.method ?? 'GET',
  intervalSeconds: String(m?.intervalSeconds ?? 60),
  timeoutMs: m ? String(m.timeoutMs) : '',
  expectedStatus: m?.expectedStatus ?? '200-399',
  keyword: m?.keyword ?? '',
  retries: String(m?.retries ?? 0),
  checkSsl: m?.checkSsl ?? false,
});

/**
 * Create or edit a monitor. Every field keeps a line for its error, so an error showing moves
 * nothing; the primary button is the one that saves, Cancel is plain.
 */
export function MonitorForm({ monitor, id, onDone, onCancel }: { monitor?: MonitorSettings; id?: string; onDone: (id: string, name: string) => void; onCancel: () => void }) {
  const [form, setForm] = useState<Draft>(() => draftOf(monitor));
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [{ fetching: creating }, create] = useMutation(CreateMonitor);
  const [{ fetching: updating }, update] = useMutation(UpdateMonitor);
  const http = form.kind === 'HTTP';
  async function submit(event: FormEvent) {
    event.preventDefault();
    const input: MonitorInput = {
      name: form.name,
      kind: form.kind as 'HTTP' | 'TCP',
      url: form.url,
      intervalSeconds: Number(form.intervalSeconds),
      retries: Number(form.retries),
      ...(form.timeoutMs ? { timeoutMs: Number(form.timeoutMs) } : {}),
      ...(http ? { method: form.method, keyword: form.keyword || null, expectedStatus: form.expectedStatus, checkSsl: form.checkSsl } : {}),
    };
    if (id) {
      const result = await update({ id, input });
      const failure = mutationError(result);
      if (failure) return setError(failure);
      onDone(id, form.name);
    } else {
      const result = await create({ input });
      const failure = mutationError(result);
      if (failure) return setError(failure);
      if (result.data) onDone(result.data.createMonitor.id, result.data.createMonitor.name);
    }
  }
  const field = (name: keyof Draft, label: string, props: Record<string, unknown> = {}) => (
    <label className="field-slot">
      {label}
      <input
        name={name}
        value={String(form[name])}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
        aria-invalid={error?.field === name || undefined}
        aria-describedby={`${name}-error`}
        {...props}
      />
      <span className="field-error" id={`${name}-error`} aria-live="polite">
        {error?.field === name ? error.message : ''}
      </span>
    </label>
  );
  return (
    <form className="panel form-grid monitor-form" onSubmit={submit} aria-label={id ? 'Edit monitor' : 'New monitor'}>
      {field('name', 'Name', { required: true, maxLength: 200 })}
      <label className="field-slot">
        Kind
        <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
          <option>HTTP</option>
          <option>TCP</option>
        </select>
        <span className="field-error" />
      </label>
      {http && (
        <label className="field-slot">
          Method
          <select value={form.method} onChange={(e) => setForm({ ...form, method: e.target.value })}>
            {['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
          <span className="field-error" />
        </label>
      )}
      {field('url', http ? 'URL' : 'host:port', { required: true, className: 'wide', placeholder: http ? 'https://api.example.com/health' : 'db.example.com:5432' })}
      {field('intervalSeconds', 'Every (s)', { type: 'number', min: 1, className: 'narrow' })}
      {field('timeoutMs', 'Timeout (ms)', { type: 'number', min: 1, className: 'narrow', placeholder: 'auto' })}
      {field('retries', 'Retries', { type: 'number', min: 0, className: 'narrow' })}
      {http && field('expectedStatus', 'Expected status', { className: 'narrow' })}
      {http && field('keyword', 'Keyword (optional)')}
      {http && (
        <label className="inline field-slot-inline">
          <input type="checkbox" checked={form.checkSsl} onChange={(e) => setForm({ ...form, checkSsl: e.target.checked })} />
          Fail on an invalid certificate
        </label>
      )}
      <div className="form-actions">
        <button className="primary" type="submit" disabled={creating || updating}>
          {id ? 'Save' : 'Create'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <span className="error form-error" role="alert">
          {error && !error.field ? error.message : ''}
        </span>
      </div>
    </form>
  );
}
