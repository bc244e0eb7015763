// <ApiDocsLink path="redoc.html">text</ApiDocsLink>: a link to the generated API documentation, a separate site
// whose location is the build setting KATAPP_APIDOC_URL (theme setting `apidocUrl`).
import { useData } from 'vitepress';
import { computed, defineComponent, h } from 'vue';
import type { KatAppThemeConfig } from '../locales.js';

/** Returns the href of a file in the API documentation as seen from a page of this site. */
export function apidocHref(apidocUrl: string, pagePath: string, file = ''): string {
  const target = `${apidocUrl.endsWith('/') ? apidocUrl : `${apidocUrl}/`}${file}`;
  if (/^https?:\/\//i.test(apidocUrl)) return target;
  // A relative setting is relative to the docs root, so the link first climbs from the page's folder to the root.
  const depth = pagePath.split('/').length - 1;
  return `${'../'.repeat(depth)}${target}`;
}

export default defineComponent({
  name: 'ApiDocsLink',
  props: {
    /** File inside the API documentation, for example `redoc.html`; empty for its start page. */
    path: { type: String, default: '' },
  },
  setup(props, { slots }) {
    const { theme, page } = useData<KatAppThemeConfig>();
    const href = computed(() => {
      const apidocUrl = theme.value.apidocUrl;
      if (apidocUrl === undefined) {
        throw new Error('The theme setting apidocUrl is missing; config.mts sets it from KATAPP_APIDOC_URL.');
      }
      return apidocHref(apidocUrl, page.value.relativePath, props.path);
    });
    // target="_self" keeps the VitePress router from loading the other site as one of its own pages.
    return () => h('a', { href: href.value, target: '_self' }, slots.default?.());
  },
});
