// Initial values of the template's secrets, generated the way CloudFormation generates them.

import { randomInt } from 'node:crypto';

interface GenerateSecretString {
  SecretStringTemplate?: string;
  GenerateStringKey?: string;
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludePunctuation?: boolean;
  ExcludeUppercase?: boolean;
  ExcludeLowercase?: boolean;
  ExcludeNumbers?: boolean;
  IncludeSpace?: boolean;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** Generates a random password as GenerateSecretString describes it (default: 32 characters of every class). */
export function generatePassword(options: GenerateSecretString): string {
  let alphabet = [
    options.ExcludeLowercase ? '' : LOWER,
    options.ExcludeUppercase ? '' : UPPER,
    options.ExcludeNumbers ? '' : DIGITS,
    options.ExcludePunctuation ? '' : PUNCTUATION,
    options.IncludeSpace ? ' ' : '',
  ].join('');
  const excluded = new Set(options.ExcludeCharacters ?? '');
  alphabet = [...alphabet].filter((character) => !excluded.has(character)).join('');
  const length = options.PasswordLength ?? 32;
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** Returns the initial SecretString of a secret from its SecretString or GenerateSecretString property. */
export function initialSecretString(properties: Record<string, unknown>): string {
  if (typeof properties.SecretString === 'string') {
    return properties.SecretString;
  }
  const generate = properties.GenerateSecretString as GenerateSecretString | undefined;
  if (!generate) {
    return '';
  }
  const password = generatePassword(generate);
  if (generate.SecretStringTemplate && generate.GenerateStringKey) {
    const template = JSON.parse(generate.SecretStringTemplate) as Record<string, unknown>;
    return JSON.stringify({ ...template, [generate.GenerateStringKey]: password });
  }
  return password;
}
