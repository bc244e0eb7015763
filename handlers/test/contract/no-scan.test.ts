/**
 * The Scan guard itself: the setup file records every command sent through the handlers' DynamoDB client and
 * fails a test file that issued a Scan. This checks that the recorder sees document-client commands, so the
 * guard can fail.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataTableName, documentClient } from '../../src/data/table.js';
import { forgetRecordedCommand, recordedCommands, recordedScans } from '../setup/command-recorder.js';
import { TestGateway } from '../setup/gateway.js';
import { startTestPlatform, type TestPlatform } from '../setup/platform.js';

describe('Scan guard', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform();
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('records the commands of an operation', async () => {
    const before = recordedCommands().length;
    const result = await new TestGateway().call('listTenants');
    expect(result.status).toBe(200);
    expect(recordedCommands().slice(before)).toContain('QueryCommand');
  });

  it('notices a Scan sent through the document client', async () => {
    const seen = [...recordedScans()];
    await documentClient().send(new ScanCommand({ TableName: dataTableName(), Limit: 1 }));
    expect(recordedScans()).toEqual([...seen, 'ScanCommand']);
    // Forget this deliberate Scan so the file-level guard checks only the other tests.
    forgetRecordedCommand('ScanCommand');
  });
});
