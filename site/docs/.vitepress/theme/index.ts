// The default VitePress theme with the components the pages use and the project's styles.
import type { Theme } from 'vitepress';
import DefaultTheme from 'vitepress/theme';
import ApiDocsLink from './api-docs-link.js';
import Screenshot from './screenshot.js';
import './custom.css';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('ApiDocsLink', ApiDocsLink);
    app.component('Screenshot', Screenshot);
  },
} satisfies Theme;
