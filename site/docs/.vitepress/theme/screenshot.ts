// <Screenshot name="overview" alt="..."/>: a dashboard screenshot from public/screenshots/, named
// `<name>-<language>.<png|webp|jpg|jpeg>` (`overview-de.png`). The page's language comes first, then the other
// language, then a file without a language suffix. Without a file the figure shows a framed caption, and the
// build lists the name.
import { useData, withBase } from 'vitepress';
import { computed, defineComponent, h } from 'vue';
import { data as screenshots } from './screenshots.data.js';

/** Returns the file name in public/screenshots/ of the screenshot to show, or undefined when none exists. */
export function findScreenshot(available: readonly string[], name: string, lang: string): string | undefined {
  const own = lang.startsWith('de') ? 'de' : 'en';
  const other = own === 'de' ? 'en' : 'de';
  for (const stem of [`${name}-${own}`, `${name}-${other}`, name]) {
    const found = available.find((file) => file.replace(/\.[^.]+$/, '') === stem);
    if (found !== undefined) return found;
  }
  return undefined;
}

export default defineComponent({
  name: 'Screenshot',
  props: {
    /** File name without language suffix and extension, for example `overview`. */
    name: { type: String, required: true },
    /** Description of the screenshot, used as alt text and caption. */
    alt: { type: String, required: true },
  },
  setup(props) {
    const { lang } = useData();
    const file = computed(() => findScreenshot(screenshots, props.name, lang.value));
    const pending = computed(() =>
      lang.value.startsWith('de') ? 'Bildschirmfoto folgt' : 'Screenshot to follow',
    );
    return () =>
      h('figure', { class: 'katapp-screenshot' }, [
        file.value === undefined
          ? h(
              'div',
              { class: 'katapp-screenshot-pending', role: 'img', 'aria-label': props.alt },
              pending.value,
            )
          : h('img', { src: withBase(`/screenshots/${file.value}`), alt: props.alt, loading: 'lazy' }),
        h('figcaption', props.alt),
      ]);
  },
});
