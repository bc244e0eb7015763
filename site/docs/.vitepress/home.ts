// Hero and audience cards of the two start pages. They are page frontmatter in VitePress terms, but they live
// here because Biome's Markdown formatter (2.6) rewrites YAML frontmatter into invalid YAML.
interface HomeFrontmatter {
  layout: 'home';
  hero: {
    name: string;
    text: string;
    tagline: string;
    actions: Array<{ theme: 'brand' | 'alt'; text: string; link: string }>;
  };
  features: Array<{ title: string; details: string; link: string; linkText: string }>;
}

const german: HomeFrontmatter = {
  layout: 'home',
  hero: {
    name: 'KatApp',
    text: 'Digitale Sichtung bei Großschadenslagen',
    tagline: 'Handbuch für Einsatzkräfte, Führung, Administration, Betrieb und Entwicklung',
    actions: [
      { theme: 'brand', text: 'Sichtung mit der App', link: '/medics/triage' },
      { theme: 'alt', text: 'Übung vorbereiten', link: '/drills/checklist' },
    ],
  },
  features: [
    {
      title: 'Einsatzkräfte',
      details:
        'Sichtungskategorien, mSTaRT für Erwachsene, der Ablauf für Kinder und was ohne Netz passiert.',
      link: '/medics/triage',
      linkText: 'Zur Sichtung',
    },
    {
      title: 'Führung',
      details: 'Was das Dashboard zu einer Schadenslage zeigt und woher die Zahlen kommen.',
      link: '/command-staff/dashboard',
      linkText: 'Zum Dashboard',
    },
    {
      title: 'Administration',
      details: 'Benutzer freischalten, Rollen vergeben, Geräte registrieren und das Audit-Log lesen.',
      link: '/tenant-admins/users',
      linkText: 'Zur Administration',
    },
    {
      title: 'Betrieb',
      details: 'Stages, Domains, Deployment, Sicherung, Aufbewahrung und Protokolle auf AWS.',
      link: '/operators/stages-and-domains',
      linkText: 'Zum Betrieb',
    },
    {
      title: 'Entwicklung',
      details: 'Der API-Vertrag, make generate, make mock und das SDK mit Offline-Outbox.',
      link: '/developers/contract',
      linkText: 'Zur Entwicklung',
    },
    {
      title: 'Übungen',
      details: 'Checkliste für Übungsleitungen, von der Geräteausgabe bis zum Löschen der Übungsdaten.',
      link: '/drills/checklist',
      linkText: 'Zur Checkliste',
    },
  ],
};

const english: HomeFrontmatter = {
  layout: 'home',
  hero: {
    name: 'KatApp',
    text: 'Digital triage for mass-casualty incidents',
    tagline: 'Manual for medics, command staff, administrators, operators and developers',
    actions: [
      { theme: 'brand', text: 'Triage in the app', link: '/en/medics/triage' },
      { theme: 'alt', text: 'Prepare a drill', link: '/en/drills/checklist' },
    ],
  },
  features: [
    {
      title: 'Medics',
      details: 'Triage categories, mSTaRT for adults, the child flow, and what happens without a network.',
      link: '/en/medics/triage',
      linkText: 'Go to triage',
    },
    {
      title: 'Command staff',
      details: 'What the dashboard shows for a disaster and where the numbers come from.',
      link: '/en/command-staff/dashboard',
      linkText: 'Go to the dashboard',
    },
    {
      title: 'Administration',
      details: 'Activate users, assign roles, register devices and read the audit log.',
      link: '/en/tenant-admins/users',
      linkText: 'Go to administration',
    },
    {
      title: 'Operations',
      details: 'Stages, domains, deployment, backups, retention and logs on AWS.',
      link: '/en/operators/stages-and-domains',
      linkText: 'Go to operations',
    },
    {
      title: 'Development',
      details: 'The API contract, make generate, make mock, and the SDK with its offline outbox.',
      link: '/en/developers/contract',
      linkText: 'Go to development',
    },
    {
      title: 'Drills',
      details: 'A checklist for exercise organisers, from handing out devices to deleting the drill data.',
      link: '/en/drills/checklist',
      linkText: 'Go to the checklist',
    },
  ],
};

/** Frontmatter of the start pages by source path relative to site/docs. */
export const homeFrontmatter: Readonly<Record<string, HomeFrontmatter>> = {
  'index.md': german,
  'en/index.md': english,
};
