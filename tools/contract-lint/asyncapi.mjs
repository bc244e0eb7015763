// Parses asyncapi/asyncapi.yaml with @asyncapi/parser, resolving the $refs into api/, and
// prints every diagnostic. Exits 1 when any diagnostic is an error or a warning, so
// `make lint-contract` fails.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, fromFile, Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const severityNames = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

const specPath = path.resolve(process.argv[2] ?? 'asyncapi/asyncapi.yaml');

// Fail early with a plain message instead of the parser's generic one.
await readFile(specPath).catch((error) => {
  console.error(`asyncapi: failed to read ${specPath}: ${error.message}`);
  process.exit(1);
});

const parser = new Parser({
  ruleset: {
    rules: {
      // The contract stays on AsyncAPI 3.0.0 because the docs and the generator target it.
      // This rule only recommends the newest version (3.1.0 for parser 3.6).
      'asyncapi-latest-version': 'off',
    },
  },
});
const { document, diagnostics } = await fromFile(parser, specPath).parse({
  source: pathToFileURL(specPath).href,
});

let failures = 0;
for (const diagnostic of diagnostics) {
  const severity = severityNames[diagnostic.severity] ?? String(diagnostic.severity);
  if (
    diagnostic.severity === DiagnosticSeverity.Error ||
    diagnostic.severity === DiagnosticSeverity.Warning
  ) {
    failures += 1;
  }
  const where = diagnostic.path.length > 0 ? `#/${diagnostic.path.join('/')}` : '#';
  const line = diagnostic.range ? `:${diagnostic.range.start.line + 1}` : '';
  const source = diagnostic.source
    ? path.relative(process.cwd(), diagnostic.source.replace(/^file:\/\//, ''))
    : specPath;
  console.log(`${source}${line} ${severity} ${diagnostic.code} ${where}: ${diagnostic.message}`);
}

if (failures > 0 || document === undefined) {
  console.error(`asyncapi: ${failures} error(s) or warning(s) in ${path.relative(process.cwd(), specPath)}`);
  process.exit(1);
}
// The parser does not check AsyncAPI 3 message examples, so each example payload is validated
// against its message's resolved payload schema here. The payloads are JSON Schema draft-07.
// Strict mode is off because they carry OpenAPI annotations such as `discriminator` objects.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
let invalidExamples = 0;
for (const message of document.allMessages()) {
  const payload = message.payload();
  if (payload === undefined) continue;
  // A Multi Format Schema Object wraps the schema in `schema` next to its `schemaFormat`.
  const resolved = payload.json();
  const validate = ajv.compile(resolved.schemaFormat === undefined ? resolved : resolved.schema);
  for (const [index, example] of message.examples().all().entries()) {
    if (validate(example.payload())) continue;
    invalidExamples += 1;
    const name = example.name() ?? String(index);
    for (const error of validate.errors ?? []) {
      console.log(`asyncapi/${message.id()} example ${name}: ${error.instancePath || '/'} ${error.message}`);
    }
  }
}
if (invalidExamples > 0) {
  console.error(`asyncapi: ${invalidExamples} message example(s) do not match their payload schema`);
  process.exit(1);
}

const operations = document.operations().length;
const messages = document.allMessages().length;
console.log(
  `asyncapi: ${path.relative(process.cwd(), specPath)} is valid (${operations} operations, ${messages} messages, ${diagnostics.length} diagnostics)`,
);
