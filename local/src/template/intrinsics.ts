// Resolves CloudFormation intrinsic functions in a synthesized template to local values.
// Reference: AWS CloudFormation User Guide, "Intrinsic function reference".

import { LocalTemplateError } from '../errors.js';

/** Resolves `Ref` and `Fn::GetAtt` for the resources and parameters of one template. */
export interface ReferenceResolver {
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
  /** Evaluates a named entry of the template's `Conditions` section. */
  condition(name: string): boolean;
}

/** Marker for `Ref: AWS::NoValue`: the property is removed from the surrounding object or list. */
const NO_VALUE = Symbol('AWS::NoValue');

/**
 * Resolves every intrinsic function inside `value`. Supported: Ref, Fn::GetAtt, Fn::Join, Fn::Sub,
 * Fn::Select, Fn::Split, Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition, Fn::Base64,
 * Fn::GetAZs and Fn::FindInMap. Anything else raises a LocalTemplateError naming the function and path.
 */
export function resolveIntrinsics(
  value: unknown,
  resolver: ReferenceResolver,
  mappings: Record<string, unknown> = {},
): unknown {
  const resolved = resolveAt(value, resolver, mappings, '');
  return resolved === NO_VALUE ? undefined : resolved;
}

function resolveAt(
  value: unknown,
  resolver: ReferenceResolver,
  mappings: Record<string, unknown>,
  path: string,
): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item, index) => resolveAt(item, resolver, mappings, `${path}/${index}`));
    return items.filter((item) => item !== NO_VALUE);
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const [first] = entries;
  if (entries.length === 1 && first && isIntrinsicKey(first[0])) {
    return resolveFunction(first[0], first[1], resolver, mappings, path);
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const resolved = resolveAt(item, resolver, mappings, `${path}/${key}`);
    if (resolved !== NO_VALUE) {
      result[key] = resolved;
    }
  }
  return result;
}

function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::');
}

function resolveFunction(
  name: string,
  argument: unknown,
  resolver: ReferenceResolver,
  mappings: Record<string, unknown>,
  path: string,
): unknown {
  const resolveArgument = (item: unknown, suffix: string) =>
    resolveAt(item, resolver, mappings, `${path}/${suffix}`);

  switch (name) {
    case 'Ref': {
      if (argument === 'AWS::NoValue') {
        return NO_VALUE;
      }
      return resolver.ref(expectString(argument, name, path));
    }
    case 'Condition':
      return resolver.condition(expectString(argument, name, path));
    case 'Fn::GetAtt': {
      const [logicalId, attribute] =
        typeof argument === 'string' ? splitOnce(argument, '.') : expectArray(argument, name, path, 2);
      return resolver.getAtt(
        expectString(logicalId, name, path),
        expectString(resolveArgument(attribute, '1'), name, path),
      );
    }
    case 'Fn::Join': {
      const [delimiter, list] = expectArray(argument, name, path, 2);
      const items = expectArray(resolveArgument(list, '1'), name, path);
      return items.map((item) => stringify(item, name, path)).join(expectString(delimiter, name, path));
    }
    case 'Fn::Sub':
      return substitute(argument, resolver, mappings, path);
    case 'Fn::Select': {
      const [index, list] = expectArray(argument, name, path, 2);
      const items = expectArray(resolveArgument(list, '1'), name, path);
      const position = Number(resolveArgument(index, '0'));
      if (!Number.isInteger(position) || position < 0 || position >= items.length) {
        throw new LocalTemplateError(
          `Fn::Select index ${String(index)} is outside the list of ${items.length} items at ${path || '/'}.`,
        );
      }
      return items[position];
    }
    case 'Fn::Split': {
      const [delimiter, source] = expectArray(argument, name, path, 2);
      return expectString(resolveArgument(source, '1'), name, path).split(
        expectString(delimiter, name, path),
      );
    }
    case 'Fn::If': {
      const [conditionName, whenTrue, whenFalse] = expectArray(argument, name, path, 3);
      return resolver.condition(expectString(conditionName, name, path))
        ? resolveArgument(whenTrue, '1')
        : resolveArgument(whenFalse, '2');
    }
    case 'Fn::Equals': {
      const [left, right] = expectArray(argument, name, path, 2);
      return JSON.stringify(resolveArgument(left, '0')) === JSON.stringify(resolveArgument(right, '1'));
    }
    case 'Fn::Not': {
      const [operand] = expectArray(argument, name, path, 1);
      return !resolveArgument(operand, '0');
    }
    case 'Fn::And':
      return expectArray(argument, name, path).every((item, index) => resolveArgument(item, String(index)));
    case 'Fn::Or':
      return expectArray(argument, name, path).some((item, index) => resolveArgument(item, String(index)));
    case 'Fn::Base64':
      return Buffer.from(expectString(resolveArgument(argument, ''), name, path)).toString('base64');
    case 'Fn::GetAZs': {
      const region = String(resolver.ref('AWS::Region'));
      return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
    }
    case 'Fn::FindInMap': {
      const [mapName, topKey, secondKey] = expectArray(resolveArgument(argument, ''), name, path, 3);
      const map = mappings[String(mapName)] as Record<string, Record<string, unknown>> | undefined;
      const found = map?.[String(topKey)]?.[String(secondKey)];
      if (found === undefined) {
        throw new LocalTemplateError(
          `Fn::FindInMap found no value for ${String(mapName)}.${String(topKey)}.${String(secondKey)} at ${path || '/'}.`,
        );
      }
      return found;
    }
    default:
      throw new LocalTemplateError(
        `The local runtime does not support the intrinsic function ${name} (at ${path || '/'}); supported are Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::If and the condition functions.`,
      );
  }
}

// Fn::Sub replaces ${Name} with a variable, a Ref or a GetAtt (${Resource.Attribute}); ${!Literal} stays literal.
function substitute(
  argument: unknown,
  resolver: ReferenceResolver,
  mappings: Record<string, unknown>,
  path: string,
): string {
  const [template, variables] =
    typeof argument === 'string' ? [argument, {}] : expectArray(argument, 'Fn::Sub', path, 2);
  const variableValues = resolveAt(variables ?? {}, resolver, mappings, `${path}/1`) as Record<
    string,
    unknown
  >;
  return expectString(template, 'Fn::Sub', path).replace(/\$\{([^}]*)\}/g, (_match, expression: string) => {
    if (expression.startsWith('!')) {
      return `\${${expression.slice(1)}}`;
    }
    if (expression in variableValues) {
      return stringify(variableValues[expression], 'Fn::Sub', path);
    }
    const dot = expression.indexOf('.');
    if (dot > 0 && !expression.startsWith('AWS::')) {
      return stringify(resolver.getAtt(expression.slice(0, dot), expression.slice(dot + 1)), 'Fn::Sub', path);
    }
    return stringify(resolver.ref(expression), 'Fn::Sub', path);
  });
}

function splitOnce(value: string, separator: string): [string, string] {
  const index = value.indexOf(separator);
  return index < 0 ? [value, ''] : [value.slice(0, index), value.slice(index + 1)];
}

function expectString(value: unknown, functionName: string, path: string): string {
  if (typeof value !== 'string') {
    throw new LocalTemplateError(
      `${functionName} expected a string at ${path || '/'} but got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function expectArray(value: unknown, functionName: string, path: string, minLength = 0): unknown[] {
  if (!Array.isArray(value) || value.length < minLength) {
    throw new LocalTemplateError(
      `${functionName} expected a list of at least ${minLength} items at ${path || '/'} but got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function stringify(value: unknown, functionName: string, path: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw new LocalTemplateError(
    `${functionName} can only join strings, numbers and booleans at ${path || '/'} but got ${JSON.stringify(value)}.`,
  );
}
