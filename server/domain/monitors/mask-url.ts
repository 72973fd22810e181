/**
 * A webhook URL with everything after the host hidden: Slack-style webhooks carry their
 * secret in the path or query, so only where it goes is shown.
 */
export function maskUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const hidden = url.pathname !== '/' || url.search || url.hash || url.username || url.password;
    return `${url.protocol}//${url.host}/${hidden ? '…' : ''}`;
  } catch {
    return '…';
  }
}
