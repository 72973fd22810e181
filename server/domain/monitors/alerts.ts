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

/**
 * Where a rule stands after a check:
 * - FIRING: the condition holds (opens an incident, or keeps one open);
 * - RECOVERED: the last `recoveryChecks` checks were all good — for SLOW, at or under
 *   `recoveryThresholdMs` — so an open incident's hold-down clock may run;
 * - UNSETTLED: neither (e.g. one fast check after slow ones): an open incident stays open and
 *   its hold-down clock starts over.
 *
 * The gap between the two is the hysteresis: a target hovering around a SLOW threshold no
 * longer resolves on the first fast check and reopens on the next slow ones.
 */
export type Assessment = 'FIRING' | 'RECOVERED' | 'UNSETTLED';

/** Good checks in a row a rule needs before its incident may resolve. */
export const recoveryChecksOf = (rule: AlertRuleRow) => rule.recoveryChecks ?? rule.consecutiveChecks;

/** How many of the latest checks a rule looks at. */
export const checksNeeded = (rule: AlertRuleRow) => Math.max(rule.consecutiveChecks, recoveryChecksOf(rule));

export function assess(rule: AlertRuleRow, monitor: MonitorRow, recent: MonitorCheckRow[], now = Date.now()): Assessment {
  if (conditionHolds(rule, monitor, recent, now)) return 'FIRING';
  const window = recent.slice(0, recoveryChecksOf(rule));
  if (window.length < recoveryChecksOf(rule)) return 'UNSETTLED';
  const good = (check: MonitorCheckRow): boolean => {
    switch (rule.kind) {
      case 'DOWN':
        return check.ok;
      case 'SLOW':
        return check.ok && check.responseTimeMs !== null && check.responseTimeMs <= (rule.recoveryThresholdMs ?? rule.thresholdMs ?? 0);
      case 'SSL_EXPIRY':
        return check.certExpiresAt === null || check.certExpiresAt.getTime() - now >= (rule.days ?? 14) * 86_400_000;
      case 'STATUS_CODE':
        return check.httpStatus !== null && statusExpected(check.httpStatus, parseExpectedStatus(monitor.expectedStatus));
    }
  };
  const settled = window.every(good) && (rule.kind !== 'DOWN' || monitor.status === 'UP');
  return settled ? 'RECOVERED' : 'UNSETTLED';
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
