export type StatusRange = [number, number];

/** "200-399", "200,204", "200-299,301": a list of codes and ranges. Throws on nonsense. */
export function parseExpectedStatus(spec: string): StatusRange[] {
  const ranges = spec.split(',').map((part) => {
    const match = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/.exec(part);
    if (!match) throw new Error(`"${part.trim()}" is not a status code or range like 200-399`);
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (from < 100 || to > 599 || from > to) throw new Error(`${part.trim()} is not a range of HTTP status codes`);
    return [from, to] as StatusRange;
  });
  return ranges;
}

export const statusExpected = (status: number, ranges: StatusRange[]) => ranges.some(([from, to]) => status >= from && status <= to);
