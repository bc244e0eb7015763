// Field-by-field comparison of an event with a documented shape. Placeholders in the expected value
// stand for values that differ per request: "<string>", "<number>", "<object>", "<uuid>",
// "<request-time>" (dd/Mon/yyyy:HH:mm:ss +0000), "<api-id>" (10 characters) and "<connection-id>".

const PLACEHOLDERS: Record<string, (value: unknown) => boolean> = {
  '<string>': (value) => typeof value === 'string',
  '<number>': (value) => typeof value === 'number' && Number.isFinite(value),
  '<object>': (value) => value !== null && typeof value === 'object',
  '<uuid>': (value) =>
    typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value),
  '<request-time>': (value) =>
    typeof value === 'string' && /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/.test(value),
  '<api-id>': (value) => typeof value === 'string' && /^[a-z0-9]{10}$/.test(value),
  '<connection-id>': (value) => typeof value === 'string' && /^[A-Za-z0-9_-]{15}=$/.test(value),
};

/** Returns one line per difference, each naming the JSON pointer of the field; empty when they match. */
export function compareWithShape(expected: unknown, actual: unknown, pointer = ''): string[] {
  if (typeof expected === 'string' && expected in PLACEHOLDERS) {
    const check = PLACEHOLDERS[expected] as (value: unknown) => boolean;
    return check(actual) ? [] : [`${pointer || '/'}: expected ${expected}, got ${JSON.stringify(actual)}`];
  }
  if (expected === null || typeof expected !== 'object') {
    return Object.is(expected, actual)
      ? []
      : [`${pointer || '/'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(expected) !== Array.isArray(actual)) {
    return [`${pointer || '/'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  const differences: string[] = [];
  const expectedObject = expected as Record<string, unknown>;
  const actualObject = actual as Record<string, unknown>;
  for (const key of Object.keys(expectedObject)) {
    if (!(key in actualObject)) {
      differences.push(`${pointer}/${key}: missing`);
      continue;
    }
    differences.push(...compareWithShape(expectedObject[key], actualObject[key], `${pointer}/${key}`));
  }
  for (const key of Object.keys(actualObject)) {
    if (!(key in expectedObject)) {
      differences.push(
        `${pointer}/${key}: not in the documented shape (value ${JSON.stringify(actualObject[key])})`,
      );
    }
  }
  return differences;
}
