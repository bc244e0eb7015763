/** Returns `name` in PascalCase for construct ids and output keys, e.g. `auth` → `Auth`, `api-doc` → `ApiDoc`. */
export function pascalCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());
}
