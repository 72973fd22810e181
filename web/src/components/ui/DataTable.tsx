import type { ReactNode } from 'react';
import { navigate } from '../../lib/route';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  /** The cell that names the row: it holds the row's link, and heads the card on a phone. */
  primary?: boolean;
  className?: string;
}

/**
 * A table on wide screens, a stack of cards on narrow ones (each cell labelled by its column,
 * CSS only). With `href`, the primary cell is a real link — reachable by Tab, opened by Enter —
 * and a click anywhere on the row follows it too.
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  href,
  rowProps,
  className,
}: {
  caption: string;
  className?: string;
  columns: Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  href?: (row: Row) => string;
  rowProps?: (row: Row) => Record<string, string | undefined>;
}) {
  return (
    <div className="table-box">
      <table className={`data-table ${className ?? ''}`.trim()}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const link = href?.(row);
            return (
              <tr
                key={rowKey(row)}
                className={link ? 'clickable' : undefined}
                onClick={
                  link
                    ? (event) => {
                        // a click on a control inside the row does its own thing
                        if ((event.target as HTMLElement).closest('a, button, input, select, textarea')) return;
                        navigate(link.replace(/^#/, ''));
                      }
                    : undefined
                }
                {...rowProps?.(row)}
              >
                {columns.map((c) => (
                  <td key={c.header} data-label={c.header} className={[c.primary ? 'primary' : '', c.className ?? ''].join(' ').trim() || undefined}>
                    {c.primary && link ? <a href={link}>{c.cell(row)}</a> : c.cell(row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
