import { useState } from 'react';
import { SubNav } from '../components/ui/SubNav';
import { AlertRulesPage } from './monitors/AlertRules';
import { MaintenancePage } from './monitors/Maintenance';
import { MonitorDetail } from './monitors/MonitorDetail';
import { MonitorList } from './monitors/MonitorList';
import { NotificationsPage } from './monitors/Notifications';
import { StatusPagesPage } from './monitors/StatusPages';

const SECTIONS = [
  ['/monitors', 'Monitors'],
  ['/monitors/rules', 'Alert rules'],
  ['/monitors/notifications', 'Notifications'],
  ['/monitors/maintenance', 'Maintenance'],
  ['/monitors/status-pages', 'Status pages'],
] as const;

/** The monitoring section: monitors, and the screens that make incidents happen and tell people. */
export function MonitorsPage({ path, params }: { path: string; params: URLSearchParams }) {
  // a monitor just created: its detail shows its name at once while the rest loads
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);
  const sub = path.split('/')[2];
  const section = SECTIONS.find(([href]) => href === path)?.[0];
  const nav = <SubNav label="Monitoring" items={SECTIONS} current={section ?? '/monitors'} />;
  if (sub && !section) return <MonitorDetail key={sub} id={sub} params={params} seedName={created?.id === sub ? created.name : undefined} nav={nav} />;
  return (
    <>
      {nav}
      {path === '/monitors/rules' && <AlertRulesPage />}
      {path === '/monitors/notifications' && <NotificationsPage />}
      {path === '/monitors/maintenance' && <MaintenancePage />}
      {path === '/monitors/status-pages' && <StatusPagesPage />}
      {!sub && <MonitorList onCreated={setCreated} />}
    </>
  );
}
