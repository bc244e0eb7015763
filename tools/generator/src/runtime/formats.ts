// String and number formats for the validators: the JSON Schema Validation 2020-12 formats the contract uses,
// with RFC 3339 (section 5.6) read strictly, plus the OpenAPI 3.1 data type formats (int32, int64, float,
// double, byte, binary, password). This module is bundled into generated/validators/index.js.

export interface FormatDefinition {
  type: 'string' | 'number';
  validate: (value: never) => boolean;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(value: string): boolean {
  const match = DATE.exec(value);
  if (match === null) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const maxDay = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return day <= maxDay;
}

// RFC 3339 full-time: the offset is mandatory and is "Z" or ±hh:mm; "+0530" and "+09" are not RFC 3339.
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(z|Z|[+-](\d{2}):(\d{2}))$/;

function isTime(value: string): boolean {
  const match = TIME.exec(value);
  if (match === null) return false;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = Number(match[3]);
  const offsetHour = match[6] === undefined ? 0 : Number(match[6]);
  const offsetMinute = match[7] === undefined ? 0 : Number(match[7]);
  // RFC 3339 allows second 60 for a leap second, but JavaScript dates cannot hold one and the handlers store times
  // as dates, so it is rejected here rather than failing later. The last leap second was inserted in 2016.
  return hour <= 23 && minute <= 59 && second <= 59 && offsetHour <= 23 && offsetMinute <= 59;
}

function isDateTime(value: string): boolean {
  const separator = value.search(/[Tt ]/);
  if (separator !== 10) return false;
  return isDate(value.slice(0, 10)) && isTime(value.slice(11));
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// A practical subset of RFC 5321 addresses: dot-atom local part, domain of LDH labels with a dot.
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const HOSTNAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
// RFC 3986: a scheme, then characters allowed in a URI (no spaces, controls, quotes, angle brackets or braces).
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s"<>\\^`{|}]*$/;
const URI_REFERENCE = /^[^\s"<>\\^`{|}]*$/;
const CONTROL_CHARACTER = /\p{Cc}/u;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isIpv6(value: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(value) || value.length > 45) return false;
  const doubleColon = value.split('::').length - 1;
  if (doubleColon > 1) return false;
  let groups = value.split(':');
  const last = groups[groups.length - 1] ?? '';
  let extra = 0;
  if (last.includes('.')) {
    if (!IPV4.test(last)) return false;
    groups = groups.slice(0, -1);
    extra = 2;
  }
  const filled = groups.filter((group) => group !== '');
  if (!filled.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  return doubleColon === 1 ? filled.length + extra < 8 : groups.length + extra === 8;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Format name → definition; Ajv receives exactly these objects, in process and in the standalone bundle. */
export const formats: Record<string, FormatDefinition> = {
  'date-time': { type: 'string', validate: (value: string) => isDateTime(value) },
  date: { type: 'string', validate: (value: string) => isDate(value) },
  time: { type: 'string', validate: (value: string) => isTime(value) },
  uuid: { type: 'string', validate: (value: string) => UUID.test(value) },
  email: { type: 'string', validate: (value: string) => value.length <= 254 && EMAIL.test(value) },
  hostname: { type: 'string', validate: (value: string) => HOSTNAME.test(value) },
  ipv4: { type: 'string', validate: (value: string) => IPV4.test(value) },
  ipv6: { type: 'string', validate: (value: string) => isIpv6(value) },
  uri: { type: 'string', validate: (value: string) => URI.test(value) && !CONTROL_CHARACTER.test(value) },
  'uri-reference': {
    type: 'string',
    validate: (value: string) => URI_REFERENCE.test(value) && !CONTROL_CHARACTER.test(value),
  },
  byte: { type: 'string', validate: (value: string) => BASE64.test(value) },
  // Annotations only: binary is raw bytes, a password is any string.
  binary: { type: 'string', validate: () => true },
  password: { type: 'string', validate: () => true },
  int32: {
    type: 'number',
    validate: (value: number) => Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX,
  },
  // NOTE: JSON numbers parsed by JavaScript lose precision beyond 2^53, so int64 only checks for an integer.
  int64: { type: 'number', validate: (value: number) => Number.isInteger(value) },
  float: { type: 'number', validate: (value: number) => Number.isFinite(value) },
  double: { type: 'number', validate: (value: number) => Number.isFinite(value) },
};
