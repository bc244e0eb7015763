/** Lambda function `disasters`: opening, listing, closing and purging disasters, their stages and overview. */

import { routes } from '../../../generated/operations/functions/disasters.js';
import type { OperationHandlers } from '../../../generated/operations/index.js';
import { operations as requestValidators } from '../../../generated/validators/functions/disasters.js';
import { recordAudit } from '../audit/index.js';
import {
  closeDisaster as closeActiveDisaster,
  listDisasters as findDisasters,
  createDisaster as openDisaster,
  purgeDisaster as purgeClosedDisaster,
} from '../clinical/disaster-changes.js';
import { overviewView, stageSummaries } from '../clinical/disaster-views.js';
import { disasterNotFound, requireDisaster } from '../clinical/lookups.js';
import { disasterView, mapPatientItemView } from '../clinical/representations.js';
import { caller, type RequestContext } from '../context.js';
import { getDisasterWithOverview } from '../data/disasters.js';
import { listMapPatients } from '../data/overview.js';
import { createRestHandler } from '../http/adapter.js';

type DisasterOperations = Pick<
  OperationHandlers<RequestContext>,
  | 'createDisaster'
  | 'listDisasters'
  | 'getDisaster'
  | 'closeDisaster'
  | 'listStages'
  | 'getDisasterOverview'
  | 'listPatientMarkers'
  | 'purgeDisaster'
>;

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_RADIUS_KM = 50;
/** Map patients per page unless the request sets `limit`: a 500-patient incident in one request. */
const DEFAULT_MARKER_PAGE_SIZE = 500;

const createDisaster: DisasterOperations['createDisaster'] = async (request, context) => {
  const disaster = await openDisaster(context, request.body);
  return { status: 201, body: disasterView(disaster) };
};

const listDisasters: DisasterOperations['listDisasters'] = async (request, context) => {
  const { tenantId } = caller(context);
  const query = request.query ?? {};
  const near = query.near === undefined ? undefined : { lat: query.near[0], lon: query.near[1] };
  const page = await findDisasters(tenantId, {
    ...(query.startedAfter === undefined ? {} : { startedAfter: query.startedAfter }),
    ...(query.startedBefore === undefined ? {} : { startedBefore: query.startedBefore }),
    ...(near === undefined || near.lat === undefined || near.lon === undefined
      ? {}
      : { near: { lat: near.lat, lon: near.lon } }),
    radiusKm: query.radiusKm ?? DEFAULT_RADIUS_KM,
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.mode === undefined ? {} : { mode: query.mode }),
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
  });
  return { status: 200, body: { items: page.items.map(disasterView), nextCursor: page.nextCursor } };
};

const getDisaster: DisasterOperations['getDisaster'] = async (request, context) => {
  const { tenantId } = caller(context);
  return { status: 200, body: disasterView(await requireDisaster(tenantId, request.path.disasterId)) };
};

const closeDisaster: DisasterOperations['closeDisaster'] = async (request, context) => {
  return { status: 200, body: disasterView(await closeActiveDisaster(context, request.path.disasterId)) };
};

const listStages: DisasterOperations['listStages'] = async (request, context) => {
  const { tenantId } = caller(context);
  const found = await getDisasterWithOverview(tenantId, request.path.disasterId);
  if (found === undefined) throw disasterNotFound(request.path.disasterId);
  return { status: 200, body: { items: stageSummaries(found.overview) } };
};

const getDisasterOverview: DisasterOperations['getDisasterOverview'] = async (request, context) => {
  const { tenantId } = caller(context);
  const found = await getDisasterWithOverview(tenantId, request.path.disasterId);
  if (found === undefined) throw disasterNotFound(request.path.disasterId);
  return { status: 200, body: overviewView(found, context.clock.now()) };
};

const listPatientMarkers: DisasterOperations['listPatientMarkers'] = async (request, context) => {
  const { tenantId } = caller(context);
  const disaster = await requireDisaster(tenantId, request.path.disasterId);
  const page = await listMapPatients(
    tenantId,
    disaster.id,
    request.query?.limit ?? DEFAULT_MARKER_PAGE_SIZE,
    request.query?.cursor,
  );
  await recordAudit(context, {
    action: 'list',
    entityType: 'patient',
    entityId: disaster.id,
    disasterId: disaster.id,
    details: { resultCount: page.items.length },
  });
  return { status: 200, body: { items: page.items.map(mapPatientItemView), nextCursor: page.nextCursor } };
};

const purgeDisaster: DisasterOperations['purgeDisaster'] = async (request, context) => {
  await purgeClosedDisaster(context, request.path.disasterId);
  return { status: 204 };
};

export const operations: DisasterOperations = {
  createDisaster,
  listDisasters,
  getDisaster,
  closeDisaster,
  listStages,
  getDisasterOverview,
  listPatientMarkers,
  purgeDisaster,
};

export const handler = createRestHandler('disasters', operations, { routes, validators: requestValidators });
