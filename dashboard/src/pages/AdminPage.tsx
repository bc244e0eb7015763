// Tenant administration: users, devices and the audit log, each behind its own rights.
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { AuditSection } from './admin/AuditSection.js';
import { DevicesSection } from './admin/DevicesSection.js';
import { UsersSection } from './admin/UsersSection.js';

export type AdminSection = 'users' | 'devices' | 'audit';

export function AdminPage({ section }: { section: AdminSection }) {
  const { t } = useI18n();
  const { hasRight } = useSession();

  if (!hasRight('AccessTenantConsole')) {
    return (
      <section>
        <h1 tabIndex={-1}>{t.admin.title}</h1>
        <p>{t.admin.noRight}</p>
      </section>
    );
  }

  const sections: Array<{ id: AdminSection; label: string; visible: boolean }> = [
    { id: 'users', label: t.admin.users, visible: hasRight('ActionViewUser') },
    { id: 'devices', label: t.admin.devices, visible: hasRight('ActionViewDevice') },
    { id: 'audit', label: t.admin.audit, visible: hasRight('ActionViewAuditLog') },
  ];

  return (
    <div className="admin-page">
      <h1 tabIndex={-1}>{t.admin.title}</h1>
      <nav aria-label={t.admin.sections} className="section-nav">
        <ul>
          {sections
            .filter((entry) => entry.visible)
            .map((entry) => (
              <li key={entry.id}>
                <Link href={`/admin/${entry.id}`} aria-current={entry.id === section ? 'page' : undefined}>
                  {entry.label}
                </Link>
              </li>
            ))}
        </ul>
      </nav>
      {section === 'users' && hasRight('ActionViewUser') && <UsersSection />}
      {section === 'devices' && hasRight('ActionViewDevice') && <DevicesSection />}
      {section === 'audit' && hasRight('ActionViewAuditLog') && <AuditSection />}
    </div>
  );
}
