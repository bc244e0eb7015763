// Path, query and header parameter serialization per the OpenAPI 3.1 "Style Values" table,
// one parameter at a time, from the style and explode each parameter declares in the contract.
import { KatAppRequestError } from './errors.js';

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';
export type ParameterStyle =
  | 'simple'
  | 'label'
  | 'matrix'
  | 'form'
  | 'spaceDelimited'
  | 'pipeDelimited'
  | 'deepObject';

/** Wire serialization of one parameter, as its Parameter Object declares it. */
export interface ParameterSerialization {
  name: string;
  in: ParameterLocation;
  /** Defaults to `simple` for path and header, `form` for query and cookie. */
  style?: ParameterStyle;
  /** Defaults to `true` for the `form` style and `false` for every other style. */
  explode?: boolean;
  /** Query only: leave RFC 3986 reserved characters unencoded (except `+`, see `encodeValue`). */
  allowReserved?: boolean;
}

interface ResolvedSerialization {
  name: string;
  style: ParameterStyle;
  explode: boolean;
  allowReserved: boolean;
}

const DEFAULT_STYLE: Record<ParameterLocation, ParameterStyle> = {
  path: 'simple',
  query: 'form',
  header: 'simple',
  cookie: 'form',
};

// Percent-encoded forms of the RFC 3986 reserved characters that allowReserved leaves readable.
// `+` (%2B) is missing on purpose: API Gateway and most form decoders turn a literal `+` in a query into a
// space, so a `+` in a value is always sent as %2B.
const RESERVED_ESCAPES = /%(?:3A|2F|3F|23|5B|5D|40|21|24|26|27|28|29|2A|2C|3B|3D)/gi;

function resolve(spec: ParameterSerialization | undefined, name: string, location: ParameterLocation) {
  const style = spec?.style ?? DEFAULT_STYLE[location];
  return {
    name,
    style,
    explode: spec?.explode ?? style === 'form',
    allowReserved: location === 'query' && spec?.allowReserved === true,
  } satisfies ResolvedSerialization;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Converts a scalar to its string form: Date → ISO 8601 (RFC 3339) in UTC, everything else via String. */
function scalarToString(value: unknown, parameterName: string): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  throw new KatAppRequestError(
    `Parameter "${parameterName}" contains a value of type ${value === null ? 'null' : typeof value}; ` +
      'only strings, numbers, booleans and Dates can be serialized inside an array or object parameter.',
  );
}

/**
 * Percent-encodes one value with encodeURIComponent, so `/`, `?`, `#`, `&`, `=`, `,`, `|` and `+` never act
 * as delimiters. With allowReserved the reserved characters other than `+` are sent as they are.
 */
function encodeValue(value: unknown, parameterName: string, allowReserved = false): string {
  const encoded = encodeURIComponent(scalarToString(value, parameterName));
  return allowReserved
    ? encoded.replace(RESERVED_ESCAPES, (reserved) => decodeURIComponent(reserved))
    : encoded;
}

function objectEntries(value: Record<string, unknown>): [string, unknown][] {
  return Object.entries(value).filter(([, entry]) => entry !== undefined && entry !== null);
}

const DELIMITER: Partial<Record<ParameterStyle, string>> = {
  form: ',',
  spaceDelimited: '%20',
  pipeDelimited: '%7C',
};

function serializeQueryParameter(value: unknown, spec: ResolvedSerialization): string[] {
  const { name, style, explode, allowReserved } = spec;
  const key = encodeURIComponent(name);
  const encode = (item: unknown) => encodeValue(item, name, allowReserved);

  if (Array.isArray(value)) {
    if (style === 'deepObject') {
      throw new KatAppRequestError(
        `Query parameter "${name}" uses style deepObject, which allows only objects.`,
      );
    }
    const items = value.filter((item) => item !== undefined && item !== null);
    if (items.length === 0) return [];
    if (explode) return items.map((item) => `${key}=${encode(item)}`);
    return [`${key}=${items.map(encode).join(DELIMITER[style] ?? ',')}`];
  }

  if (isPlainObject(value)) {
    const entries = objectEntries(value);
    if (entries.length === 0) return [];
    if (style === 'deepObject') {
      return entries.map(([property, item]) => `${key}[${encodeURIComponent(property)}]=${encode(item)}`);
    }
    if (explode) return entries.map(([property, item]) => `${encodeURIComponent(property)}=${encode(item)}`);
    const flat = entries.flatMap(([property, item]) => [encodeURIComponent(property), encode(item)]);
    return [`${key}=${flat.join(DELIMITER[style] ?? ',')}`];
  }

  return [`${key}=${encode(value)}`];
}

/**
 * Serializes query parameters into a query string without the leading `?`. Parameters without a
 * declaration use the OpenAPI default (form, explode true). `undefined`, `null` and empty arrays are left out.
 */
export function serializeQuery(
  query: Record<string, unknown> | undefined,
  declared: readonly ParameterSerialization[] = [],
): string {
  if (!query) return '';
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const spec = declared.find((parameter) => parameter.in === 'query' && parameter.name === name);
    pairs.push(...serializeQueryParameter(value, resolve(spec, name, 'query')));
  }
  return pairs.join('&');
}

// Label values start with `.` and matrix values with `;`; exploded lists repeat the same character.
const PATH_PREFIX: Partial<Record<ParameterStyle, string>> = { label: '.', matrix: ';' };

function serializePathParameter(value: unknown, spec: ResolvedSerialization): string {
  const { name, style, explode } = spec;
  const encode = (item: unknown) => encodeValue(item, name);
  const prefix = PATH_PREFIX[style] ?? '';
  const key = encodeURIComponent(name);

  if (Array.isArray(value)) {
    const items = value.map(encode);
    if (style === 'matrix') {
      return explode ? items.map((item) => `;${key}=${item}`).join('') : `;${key}=${items.join(',')}`;
    }
    return prefix + items.join(explode && style === 'label' ? '.' : ',');
  }

  if (isPlainObject(value)) {
    const entries = objectEntries(value).map(([property, item]) => [
      encodeURIComponent(property),
      encode(item),
    ]);
    if (explode) {
      const separator = PATH_PREFIX[style] ?? ',';
      return prefix + entries.map(([property, item]) => `${property}=${item}`).join(separator);
    }
    const flat = entries.flat().join(',');
    return style === 'matrix' ? `;${key}=${flat}` : prefix + flat;
  }

  const single = encode(value);
  return style === 'matrix' ? `;${key}=${single}` : prefix + single;
}

/**
 * Fills a path template such as `/patients/{patientId}`. Each value is percent-encoded as one path segment,
 * so `/foo?bar` becomes `%2Ffoo%3Fbar`.
 * @throws KatAppRequestError when a placeholder has no value, or its value would be the segment ``, `.` or
 * `..` (URL parsers drop or resolve those, so the request would reach another resource).
 */
export function expandPath(
  template: string,
  values: Record<string, unknown> | undefined,
  declared: readonly ParameterSerialization[] = [],
): string {
  return template.replace(/\{([^{}]+)\}/g, (_placeholder, name: string) => {
    const value = values?.[name];
    if (value === undefined || value === null) {
      throw new KatAppRequestError(
        `Path parameter "${name}" of ${template} is missing; pass it as params.path.${name}.`,
      );
    }
    const spec = declared.find((parameter) => parameter.in === 'path' && parameter.name === name);
    const segment = serializePathParameter(value, resolve(spec, name, 'path'));
    if (segment === '' || segment === '.' || segment === '..') {
      throw new KatAppRequestError(
        `Path parameter "${name}" of ${template} is ${JSON.stringify(segment)}; ` +
          'an empty, "." or ".." segment is removed by URL normalization, so it cannot be sent.',
      );
    }
    return segment;
  });
}

/** Serializes header parameters with the simple style: arrays and objects become comma-separated lists. */
export function serializeHeaders(
  headers: Record<string, unknown> | undefined,
  declared: readonly ParameterSerialization[] = [],
): Record<string, string> {
  const result: Record<string, string> = {};
  if (!headers) return result;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    const spec = declared.find(
      (parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === name.toLowerCase(),
    );
    const explode = spec?.explode ?? false;
    if (Array.isArray(value)) {
      result[name] = value.map((item) => scalarToString(item, name)).join(',');
    } else if (isPlainObject(value)) {
      const entries = objectEntries(value).map(([property, item]) => [property, scalarToString(item, name)]);
      result[name] = explode
        ? entries.map(([property, item]) => `${property}=${item}`).join(',')
        : entries.flat().join(',');
    } else {
      result[name] = scalarToString(value, name);
    }
  }
  return result;
}
