/**
 * Lambda function `broadcaster`: consumes the Data table's stream and pushes changes to the WebSocket
 * connections subscribed to the changed disaster. Triage inserts and status changes become `triage.created`,
 * patient writes `patient.changed`, disaster writes `disaster.changed`; removals and other items are skipped.
 *
 * Delivery is at most once: a record is reported as a batch item failure (and retried from there) only when it
 * failed before any message was posted. A post that fails for one connection is logged and not retried, and a
 * connection that answers 410 Gone is deleted.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { postToConnection } from '../clinical/live-messages.js';
import { disasterView, patientView, triageView } from '../clinical/representations.js';
import { toRecord } from '../data/clinical-items.js';
import { deleteConnection, listSubscribers, type Subscriber } from '../data/connections.js';
import type { DisasterRecord } from '../data/disasters.js';
import { toPatientRecord } from '../data/patients.js';
import { toTriageRecord } from '../data/triages.js';
import { logger, MetricUnit, metrics } from '../observability/index.js';

/** A change to broadcast: the disaster it belongs to and the message for a subscriber with given rights. */
export interface LiveEvent {
  tenantId: string;
  disasterId: string;
  type: 'triage.created' | 'patient.changed' | 'disaster.changed';
  messageFor(withIdentity: boolean): unknown;
}

/** Turns one stream record into a live event, or undefined for records that no client receives. */
export function toLiveEvent(record: DynamoDBRecord): LiveEvent | undefined {
  if (record.eventName === 'REMOVE') return undefined;
  const image = record.dynamodb?.NewImage;
  if (image === undefined) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  switch (item.type) {
    case 'Triage': {
      const triage = toTriageRecord(item);
      return {
        tenantId: triage.tenantId,
        disasterId: triage.disasterId,
        type: 'triage.created',
        messageFor: (withIdentity) => ({
          type: 'triage.created',
          disasterId: triage.disasterId,
          triage: triageView(triage, withIdentity),
        }),
      };
    }
    case 'Patient': {
      const patient = toPatientRecord(item);
      return {
        tenantId: patient.tenantId,
        disasterId: patient.disasterId,
        type: 'patient.changed',
        messageFor: (withIdentity) => ({
          type: 'patient.changed',
          disasterId: patient.disasterId,
          patient: patientView(patient, withIdentity),
        }),
      };
    }
    case 'Disaster': {
      const disaster = toRecord<DisasterRecord>(item);
      return {
        tenantId: disaster.tenantId,
        disasterId: disaster.id,
        type: 'disaster.changed',
        messageFor: () => ({
          type: 'disaster.changed',
          disasterId: disaster.id,
          disaster: disasterView(disaster),
        }),
      };
    }
    default:
      return undefined;
  }
}

/** Counts of one broadcast, for logs and metrics. */
export interface DeliveryCounts {
  sent: number;
  gone: number;
  failed: number;
}

/** Posts one event to every subscriber of its disaster; identity goes only to connections allowed to see it. */
export async function deliver(event: LiveEvent, subscribers: readonly Subscriber[]): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { sent: 0, gone: 0, failed: 0 };
  // Every subscriber gets one of two messages, with or without identity; build each once, not per connection.
  const messages = new Map<boolean, unknown>();
  const messageFor = (withIdentity: boolean) => {
    if (!messages.has(withIdentity)) messages.set(withIdentity, event.messageFor(withIdentity));
    return messages.get(withIdentity);
  };
  await Promise.all(
    subscribers.map(async (subscriber) => {
      const withIdentity = subscriber.rights.includes('ActionViewPatientIdentity');
      try {
        const result = await postToConnection(subscriber.connectionId, messageFor(withIdentity));
        if (result === 'gone') {
          counts.gone++;
          await deleteConnection(subscriber.connectionId);
        } else {
          counts.sent++;
        }
      } catch (error) {
        counts.failed++;
        logger.error('posting a live event failed', {
          error: error as Error,
          connectionId: subscriber.connectionId,
          eventType: event.type,
          disasterId: event.disasterId,
        });
      }
    }),
  );
  return counts;
}

/**
 * Reads the events of a batch and their subscribers, then posts all of them at once: a batch of one upload contains
 * the triage and the patient record, and posting their events one after another made the second wait for every
 * post of the first. The subscribers of a disaster are read once per batch. When reading fails at a record,
 * only the records before it are posted and the batch reports that record, so its retry posts nothing twice.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const now = new Date();
  const subscribersByDisaster = new Map<string, Promise<Subscriber[]>>();
  const ready: Array<{ liveEvent: LiveEvent; subscribers: Subscriber[] }> = [];
  let failedAt: string | undefined;
  for (const record of event.Records) {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    try {
      const liveEvent = toLiveEvent(record);
      if (liveEvent === undefined) continue;
      const key = `${liveEvent.tenantId}\u0000${liveEvent.disasterId}`;
      let subscribers = subscribersByDisaster.get(key);
      if (subscribers === undefined) {
        subscribers = listSubscribers(liveEvent.tenantId, liveEvent.disasterId, now);
        subscribersByDisaster.set(key, subscribers);
      }
      ready.push({ liveEvent, subscribers: await subscribers });
    } catch (error) {
      logger.error('reading a stream record or its subscribers failed', {
        error: error as Error,
        sequenceNumber,
      });
      failedAt = sequenceNumber;
      break;
    }
  }
  const results = await Promise.all(
    ready.map(async ({ liveEvent, subscribers }) => ({
      liveEvent,
      counts: await deliver(liveEvent, subscribers),
    })),
  );
  for (const { liveEvent, counts } of results) {
    logger.debug('live event delivered', {
      eventType: liveEvent.type,
      disasterId: liveEvent.disasterId,
      ...counts,
    });
    metrics.addMetric('LiveEventsSent', MetricUnit.Count, counts.sent);
    metrics.addMetric('LiveEventsFailed', MetricUnit.Count, counts.failed);
    metrics.addMetric('StaleConnectionsRemoved', MetricUnit.Count, counts.gone);
  }
  metrics.publishStoredMetrics();
  return { batchItemFailures: failedAt === undefined ? [] : [{ itemIdentifier: failedAt }] };
}
