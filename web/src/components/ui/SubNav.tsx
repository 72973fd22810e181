/** Tabs between the screens of one section, as links (each screen has its own address). */
export function SubNav({ label, items, current }: { label: string; items: readonly (readonly [href: string, text: string])[]; current: string }) {
  return (
    <nav className="subnav" aria-label={label}>
      {items.map(([href, text]) => (
        <a key={href} href={`#${href}`} aria-current={current === href ? 'page' : undefined}>
          {text}
        </a>
      ))}
    </nav>
  );
}
