// Creates one temporary root folder for the test run and removes it afterwards. Test workers may be stopped
// without running their exit handlers, so the main vitest process owns the cleanup.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    temporaryRoot: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'katapp-infra-'));
  project.provide('temporaryRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}
