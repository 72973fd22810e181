import { useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { ConfirmButton } from '../../components/ui/Confirm';
import { DataTable } from '../../components/ui/DataTable';
import { PageHeader } from '../../components/ui/PageHeader';
import { Empty, ErrorNote, QueryState } from '../../components/ui/States';
import { graphql } from '../../gql';
import type { AlertRuleKind } from '../../gql/graphql';
import { formatMs } from '../../lib/chart';
import { mutationError } from '../../lib/errors';
import { DeliveryResult } from './Notifications';

const RulesQuery = graphql(/* GraphQL */ `
  query AlertRules {
    alertRules {
      id
      name
      kind
      monitorId
      monitor {
        id
        name
      }
      thresholdMs
      recoveryThresholdMs
      consecutiveChecks
      recoveryChecks
      holdDownSeconds
      days
      webhookUrls
    }
    monitors {
      id
      name
    }
  }
`);

const RevealQuery = graphql(/* GraphQL */ `
  query AlertRuleReveal($id: ID!) {
    alertRule(id: $id) {
      id
      webhookUrls(reveal: true)
    }
  }
`);

const CreateRule = graphql(/* GraphQL */ `
  mutation CreateAlertRule($input: AlertRuleInput!) {
    createAlertRule(input: $input) {
      id
    }
  }
`);

const UpdateRule = graphql(/* GraphQL */ `
  mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {
    updateAlertRule(id: $id, input: $input) {
      id
    }
  }
`);

const DeleteRule = graphql(/* GraphQL */ `
  mutation DeleteAlertRule($id: ID!) {
    deleteAlertRule(id: $id)
  }
`);

const TestRule = graphql(/* GraphQL */ `
  mutation TestAlertRuleWebhooks($id: ID!) {
    testAlertRuleWebhooks(id: $id) {
      id
      status
      url
      attempts {
        attempt
        at
        httpStatus
        error
        durationMs
        responseBody
      }
    }
  }
`);

const KINDS: { value: AlertRuleKind; label: string }[] = [
  { value: 'DOWN', label: 'Down' },
  { value: 'SLOW', label: 'Slow responses' },
  { value: 'STATUS_CODE', label: 'Unexpected status code' },
  { value: 'SSL_EXPIRY', label: 'Certificate expiring' },
];

type Rule = NonNullable<ReturnType<typeof useRules>[0]['data']>['alertRules'][number];
const useRules = () => useQuery({ query: RulesQuery, requestPolicy: 'cache-and-network' });

/** Alert rules: when an incident opens and resolves, and which webhooks hear of it. */
export function AlertRulesPage() {
  const [result, refetch] = useRules();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [tested, setTested] = useState<{ rule: string; deliveries: Parameters<typeof DeliveryResult>[0]['delivery'][] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, remove] = useMutation(DeleteRule);
  const [{ fetching: testing }, test] = useMutation(TestRule);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <PageHeader title="Alert rules">
        {editing === null && (
          <button className="primary" onClick={() => setEditing('new')}>
            New alert rule
          </button>
        )}
      </PageHeader>
      <p className="muted intro">A rule opens an incident when its condition holds for a number of checks in a row, and resolves it once the monitor has been good long enough. Monitors in a maintenance window open none.</p>
      {error && <ErrorNote error={error} />}
      {editing !== null && result.data && (
        <RuleForm
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? undefined : editing}
          monitors={result.data.monitors}
          onCancel={() => setEditing(null)}
          onDone={() => (setEditing(null), reload())}
        />
      )}
      {tested && (
        <section className="panel test-results" aria-label="Test results">
          <div className="row">
            <strong>Test of “{tested.rule}”</strong>
            <span className="grow" />
            <button onClick={() => setTested(null)}>Close</button>
          </div>
          {tested.deliveries.length === 0 ? <p className="muted">The rule has no webhook.</p> : tested.deliveries.map((d) => <DeliveryResult key={d.id} delivery={d} />)}
        </section>
      )}
      <QueryState result={result} label="Loading alert rules…">
        {(data) =>
          data.alertRules.length === 0 ? (
            <Empty title="No alert rules.">Without one, a monitor going down opens no incident. Add “Down” for every monitor to start.</Empty>
          ) : (
            <DataTable
              caption="Alert rules"
              rows={data.alertRules}
              rowKey={(r) => r.id}
              rowProps={(r) => ({ 'data-rule': r.name })}
              columns={[
                { header: 'Rule', primary: true, cell: (r) => r.name },
                { header: 'When', cell: (r) => describeRule(r) },
                { header: 'Monitor', cell: (r) => (r.monitor ? <a href={`#/monitors/${r.monitor.id}`}>{r.monitor.name}</a> : r.monitorId ? 'deleted monitor' : <span className="muted">every monitor</span>) },
                { header: 'Webhooks', className: 'mono meta', cell: (r) => (r.webhookUrls.length ? r.webhookUrls.join(', ') : <span className="muted">none</span>) },
                {
                  header: 'Actions',
                  cell: (r) => (
                    <div className="row actions-cell">
                      {r.webhookUrls.length > 0 && (
                        <button
                          disabled={testing}
                          onClick={() =>
                            void test({ id: r.id }).then((outcome) => {
                              const failure = mutationError(outcome);
                              setError(failure?.message ?? null);
                              if (outcome.data) setTested({ rule: r.name, deliveries: outcome.data.testAlertRuleWebhooks });
                            })
                          }
                        >
                          Send test
                        </button>
                      )}
                      <button onClick={() => setEditing(r)}>Edit</button>
                      <ConfirmButton
                        label="Delete"
                        title={`Delete the rule “${r.name}”?`}
                        confirmLabel="Delete rule"
                        onConfirm={async () => {
                          const failure = mutationError(await remove({ id: r.id }));
                          if (failure) return failure.message;
                          reload();
                        }}
                      >
                        No new incidents open from it. Incidents it opened stay in the list.
                      </ConfirmButton>
                    </div>
                  ),
                },
              ]}
            />
          )
        }
      </QueryState>
    </>
  );
}

function describeRule(r: Rule): string {
  const times = r.consecutiveChecks > 1 ? ` for ${r.consecutiveChecks} checks` : '';
  const recovery = `; resolves after ${r.recoveryChecks} good check${r.recoveryChecks === 1 ? '' : 's'}${r.holdDownSeconds ? ` and ${r.holdDownSeconds} s clear` : ''}`;
  switch (r.kind) {
    case 'SLOW':
      return `slower than ${formatMs(r.thresholdMs)}${times}${r.recoveryThresholdMs != null && r.recoveryThresholdMs !== r.thresholdMs ? ` (good again at ${formatMs(r.recoveryThresholdMs)})` : ''}${recovery}`;
    case 'SSL_EXPIRY':
      return `certificate expires in under ${r.days ?? 14} days`;
    case 'STATUS_CODE':
      return `unexpected status${times}${recovery}`;
    default:
      return `down${times}${recovery}`;
  }
}

function RuleForm({ rule, monitors, onDone, onCancel }: { rule?: Rule; monitors: { id: string; name: string }[]; onDone: () => void; onCancel: () => void }) {
  const client = useClient();
  const [form, setForm] = useState({
    name: rule?.name ?? '',
    kind: (rule?.kind ?? 'DOWN') as AlertRuleKind,
    monitorId: rule?.monitorId ?? '',
    thresholdMs: String(rule?.thresholdMs ?? 1000),
    recoveryThresholdMs: rule?.recoveryThresholdMs != null ? String(rule.recoveryThresholdMs) : '',
    consecutiveChecks: String(rule?.consecutiveChecks ?? 1),
    recoveryChecks: rule ? String(rule.recoveryChecks) : '',
    holdDownSeconds: String(rule?.holdDownSeconds ?? 0),
    days: String(rule?.days ?? 14),
    webhookUrls: rule ? '' : '',
  });
  const [revealed, setRevealed] = useState(!rule || rule.webhookUrls.length === 0);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [{ fetching: creating }, create] = useMutation(CreateRule);
  const [{ fetching: updating }, update] = useMutation(UpdateRule);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  async function reveal() {
    const answer = await client.query(RevealQuery, { id: rule!.id }, { requestPolicy: 'network-only' }).toPromise();
    if (answer.error) return setError({ message: answer.error.graphQLErrors[0]?.message ?? 'Cannot reach the server' });
    setForm((f) => ({ ...f, webhookUrls: answer.data?.alertRule?.webhookUrls.join('\n') ?? '' }));
    setRevealed(true);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!revealed) return setError({ message: 'Show the webhook addresses first: saving sends every field', field: 'webhookUrls' });
    const num = (v: string) => (v === '' ? undefined : Number(v));
    const input = {
      name: form.name,
      kind: form.kind,
      monitorId: form.monitorId || null,
      consecutiveChecks: num(form.consecutiveChecks),
      recoveryChecks: num(form.recoveryChecks),
      holdDownSeconds: num(form.holdDownSeconds),
      ...(form.kind === 'SLOW' ? { thresholdMs: num(form.thresholdMs), recoveryThresholdMs: num(form.recoveryThresholdMs) } : {}),
      ...(form.kind === 'SSL_EXPIRY' ? { days: num(form.days) } : {}),
      webhookUrls: form.webhookUrls.split(/\s+/).filter(Boolean),
    };
    const outcome = rule ? await update({ id: rule.id, input }) : await create({ input });
    const failure = mutationError(outcome);
    if (failure) return setError(failure);
    onDone();
  }
  const slot = (name: string) => (
    <span className="field-error" id={`${name}-error`} aria-live="polite">
      {error?.field === name ? error.message : ''}
    </span>
  );
  const numField = (name: keyof typeof form, label: string, placeholder?: string) => (
    <label className="field-slot">
      {label}
      <input className="narrow" type="number" min={0} value={form[name]} onChange={set(name)} placeholder={placeholder} aria-invalid={error?.field === name || undefined} aria-describedby={`${name}-error`} />
      {slot(name)}
    </label>
  );
  return (
    <form className="panel form-grid" onSubmit={submit} aria-label={rule ? 'Edit alert rule' : 'New alert rule'}>
      <label className="field-slot">
        Name
        <input required value={form.name} onChange={set('name')} placeholder="API down" aria-invalid={error?.field === 'name' || undefined} aria-describedby="name-error" />
        {slot('name')}
      </label>
      <label className="field-slot">
        Condition
        <select value={form.kind} onChange={set('kind')}>
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
        {slot('kind')}
      </label>
      <label className="field-slot">
        Monitor
        <select value={form.monitorId} onChange={set('monitorId')}>
          <option value="">every monitor</option>
          {monitors.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        {slot('monitorId')}
      </label>
      {form.kind === 'SLOW' && numField('thresholdMs', 'Slower than (ms)')}
      {form.kind === 'SLOW' && numField('recoveryThresholdMs', 'Good again at (ms)', 'same')}
      {form.kind === 'SSL_EXPIRY' && numField('days', 'Days left under')}
      {form.kind !== 'SSL_EXPIRY' && numField('consecutiveChecks', 'Checks in a row')}
      {form.kind !== 'SSL_EXPIRY' && numField('recoveryChecks', 'Good checks to resolve', 'same')}
      {form.kind !== 'SSL_EXPIRY' && numField('holdDownSeconds', 'Clear for (s) to resolve')}
      <label className="field-slot wide-field">
        Webhooks (one URL a line)
        {revealed ? (
          <textarea rows={2} value={form.webhookUrls} onChange={set('webhookUrls')} placeholder="https://hooks.example.com/…" aria-invalid={error?.field === 'webhookUrls' || undefined} aria-describedby="webhookUrls-error" />
        ) : (
          <button type="button" onClick={() => void reveal()}>
            Show {rule!.webhookUrls.length} webhook address{rule!.webhookUrls.length === 1 ? '' : 'es'} to edit
          </button>
        )}
        {slot('webhookUrls')}
      </label>
      <div className="form-actions">
        <button className="primary" type="submit" disabled={creating || updating}>
          {rule ? 'Save rule' : 'Create rule'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <span className="error form-error" role="alert">
          {error && !['name', 'kind', 'monitorId', 'thresholdMs', 'recoveryThresholdMs', 'days', 'consecutiveChecks', 'recoveryChecks', 'holdDownSeconds', 'webhookUrls'].includes(error.field ?? '') ? error.message : ''}
        </span>
      </div>
    </form>
  );
}
