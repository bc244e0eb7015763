// The two locales of the documentation: German at the site root and English under /en/. Both have the same
// pages under the same paths, so the language menu switches between the two versions of a page.
import type { DefaultTheme, LocaleSpecificConfig } from 'vitepress';

/** The default theme's settings plus the API docs link that the ApiDocsLink component reads. */
export interface KatAppThemeConfig extends DefaultTheme.Config {
  /** Absolute URL, or a path relative to the docs root, of the generated API documentation; set at the root. */
  apidocUrl?: string;
}

type Locale = LocaleSpecificConfig<KatAppThemeConfig> & { label: string; link?: string };

interface Section {
  text: string;
  items: Array<{ text: string; page: string }>;
}

/** Builds the sidebar and the top navigation (first page of each section) from one list of sections. */
function navigation(prefix: string, sections: Section[]): Pick<DefaultTheme.Config, 'nav' | 'sidebar'> {
  const link = (page: string) => `${prefix}${page}`;
  return {
    nav: sections.map((section) => ({ text: section.text, link: link(section.items[0]?.page ?? '') })),
    sidebar: sections.map((section) => ({
      text: section.text,
      items: section.items.map((item) => ({ text: item.text, link: link(item.page) })),
    })),
  };
}

const germanSections: Section[] = [
  {
    text: 'Einsatzkräfte',
    items: [
      { text: 'Sichtung mit der App', page: '/medics/triage' },
      { text: 'Sichtungskategorien und Algorithmen', page: '/medics/categories' },
      { text: 'Ohne Netz arbeiten', page: '/medics/offline' },
    ],
  },
  {
    text: 'Führung',
    items: [{ text: 'Das Dashboard', page: '/command-staff/dashboard' }],
  },
  {
    text: 'Administration',
    items: [
      { text: 'Benutzer', page: '/tenant-admins/users' },
      { text: 'Rollen und Rechte', page: '/tenant-admins/roles' },
      { text: 'Geräte und Gerätetoken', page: '/tenant-admins/devices' },
      { text: 'Audit-Log', page: '/tenant-admins/audit-log' },
    ],
  },
  {
    text: 'Betrieb',
    items: [
      { text: 'Stages, Domains und Zertifikate', page: '/operators/stages-and-domains' },
      { text: 'Deployment und Pipelines', page: '/operators/deployment' },
      { text: 'Sicherung und Wiederherstellung', page: '/operators/backup-and-restore' },
      { text: 'Daten, Aufbewahrung und Protokolle', page: '/operators/data-and-logs' },
    ],
  },
  {
    text: 'Entwicklung',
    items: [
      { text: 'Vertrag, Generator und Mock', page: '/developers/contract' },
      { text: 'SDK, Outbox und WebSocket', page: '/developers/sdk' },
    ],
  },
  {
    text: 'Übungen',
    items: [{ text: 'Checkliste zur Übungsvorbereitung', page: '/drills/checklist' }],
  },
];

const englishSections: Section[] = [
  {
    text: 'Medics',
    items: [
      { text: 'Triage in the app', page: '/medics/triage' },
      { text: 'Triage categories and algorithms', page: '/medics/categories' },
      { text: 'Working offline', page: '/medics/offline' },
    ],
  },
  {
    text: 'Command staff',
    items: [{ text: 'The dashboard', page: '/command-staff/dashboard' }],
  },
  {
    text: 'Administration',
    items: [
      { text: 'Users', page: '/tenant-admins/users' },
      { text: 'Roles and rights', page: '/tenant-admins/roles' },
      { text: 'Devices and device tokens', page: '/tenant-admins/devices' },
      { text: 'Audit log', page: '/tenant-admins/audit-log' },
    ],
  },
  {
    text: 'Operations',
    items: [
      { text: 'Stages, domains and certificates', page: '/operators/stages-and-domains' },
      { text: 'Deployment and pipelines', page: '/operators/deployment' },
      { text: 'Backup and restore', page: '/operators/backup-and-restore' },
      { text: 'Data, retention and logs', page: '/operators/data-and-logs' },
    ],
  },
  {
    text: 'Development',
    items: [
      { text: 'Contract, generator and mock', page: '/developers/contract' },
      { text: 'SDK, outbox and WebSocket', page: '/developers/sdk' },
    ],
  },
  {
    text: 'Drills',
    items: [{ text: 'Drill preparation checklist', page: '/drills/checklist' }],
  },
];

export const germanLocale: Locale = {
  label: 'Deutsch',
  lang: 'de-DE',
  title: 'KatApp',
  description:
    'Handbuch der KatApp-Plattform für Einsatzkräfte, Führung, Administration, Betrieb und Entwicklung',
  themeConfig: {
    ...navigation('', germanSections),
    outline: { level: [2, 3], label: 'Auf dieser Seite' },
    docFooter: { prev: 'Vorherige Seite', next: 'Nächste Seite' },
    darkModeSwitchLabel: 'Erscheinungsbild',
    lightModeSwitchTitle: 'Zum hellen Design wechseln',
    darkModeSwitchTitle: 'Zum dunklen Design wechseln',
    sidebarMenuLabel: 'Menü',
    returnToTopLabel: 'Nach oben',
    langMenuLabel: 'Sprache wechseln',
    skipToContentLabel: 'Zum Inhalt springen',
    notFound: {
      title: 'SEITE NICHT GEFUNDEN',
      quote: 'Diese Seite gibt es nicht. Vielleicht hilft die Suche oder das Menü weiter.',
      linkLabel: 'Zur Startseite',
      linkText: 'Zur Startseite',
    },
  },
};

export const englishLocale: Locale = {
  label: 'English',
  lang: 'en-US',
  link: '/en/',
  title: 'KatApp',
  description:
    'Manual of the KatApp Platform for medics, command staff, administrators, operators and developers',
  themeConfig: {
    ...navigation('/en', englishSections),
    outline: { level: [2, 3], label: 'On this page' },
    notFound: {
      title: 'PAGE NOT FOUND',
      quote: 'This page does not exist. The search or the menu may help.',
      linkLabel: 'Go to the start page',
      linkText: 'Go to the start page',
    },
  },
};

/** Texts of the local search box per locale (the English defaults need no entry). */
export const searchTranslations: Record<
  string,
  { translations: NonNullable<DefaultTheme.LocalSearchOptions['translations']> }
> = {
  root: {
    translations: {
      button: { buttonText: 'Suchen', buttonAriaLabel: 'Suchen' },
      modal: {
        displayDetails: 'Details anzeigen',
        resetButtonTitle: 'Suche zurücksetzen',
        backButtonTitle: 'Suche schließen',
        noResultsText: 'Keine Treffer für',
        footer: {
          selectText: 'öffnen',
          selectKeyAriaLabel: 'Eingabetaste',
          navigateText: 'wechseln',
          navigateUpKeyAriaLabel: 'Pfeil nach oben',
          navigateDownKeyAriaLabel: 'Pfeil nach unten',
          closeText: 'schließen',
          closeKeyAriaLabel: 'Escape',
        },
      },
    },
  },
};
