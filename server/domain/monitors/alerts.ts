import type { AlertRuleRow, MonitorCheckRow, MonitorRow } from '../../db/schema.js';
import { parseExpectedStatus, statusExpected } from './expected-status.js';

/** Whether `rule`'s condition holds for `monitor`, given its latest checks (newest first). */
export function conditionHolds(rule: AlertRuleRow, monitor: MonitorRow, recent: MonitorCheckRow[], now = Date.now()): boolean {
  const latest = recent[0];
  if (!latest) return false;
  switch (rule.kind) {
    case 'DOWN':
      return monitor.status === 'DOWN';
    case 'SLOW': {
      const window = recent.slice(0, rule.consecutiveChecks);
      return window.length >= rule.consecutiveChecks && window.every((c) => c.responseTimeMs !== null && c.responseTimeMs > (rule.thresholdMs ?? 0));
    }
    case 'SSL_EXPIRY':
      return latest.certExpiresAt !== null && latest.certExpiresAt.getTime() - now < (rule.days ?? 14) * 86_400_000;
    case 'STATUS_CODE':
      return latest.httpStatus !== null && !statusExpected(latest.httpStatus, parseExpectedStatus(monitor.expectedStatus));
  }
}

export function describeCondition(rule: AlertRuleRow, monitor: MonitorRow, latest: MonitorCheckRow | undefined): string {
  switch (rule.kind) {
    case 'DOWN':
      return `${monitor.name} is down${latest?.error ? `: ${latest.error}` : ''}`;
    case 'SLOW':
      return `${monitor.name} is slow: over ${rule.thresholdMs} ms for ${rule.consecutiveChecks} checks`;
    case 'SSL_EXPIRY':
      return `${monitor.name}: certificate expires ${latest?.certExpiresAt?.toISOString().slice(0, 10) ?? 'soon'}`;
    case 'STATUS_CODE':
      return `${monitor.name} answered ${latest?.httpStatus} (expected ${monitor.expectedStatus})`;
  }
}
