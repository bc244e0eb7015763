/** Lambda function `photos`: presigned S3 upload and download of triage photos, stored by content hash. */

import { routes } from '../../../generated/operations/functions/photos.js';
import type { OperationHandlers } from '../../../generated/operations/index.js';
import { operations as requestValidators } from '../../../generated/validators/functions/photos.js';
import { recordAudit } from '../audit/index.js';
import { requireActiveDisaster } from '../clinical/lookups.js';
import { caller, type RequestContext } from '../context.js';
import {
  headPhoto,
  photoObjectKey,
  photoStorage,
  presignPhotoDownload,
  presignPhotoUpload,
} from '../data/photos.js';
import { getTriage } from '../data/triages.js';
import { PhotoNotDeclaredError, ResourceNotFoundError } from '../errors.js';
import { createRestHandler } from '../http/adapter.js';

type PhotoOperations = Pick<OperationHandlers<RequestContext>, 'createPhotoUpload' | 'getPhotoDownload'>;

const createPhotoUpload: PhotoOperations['createPhotoUpload'] = async (request, context) => {
  const { tenantId } = caller(context);
  const { triageId } = request.path;
  const { sha256, contentType, size } = request.body;
  const triage = await getTriage(tenantId, triageId);
  if (triage === undefined) throw new ResourceNotFoundError(`No triage ${triageId} exists in your tenant.`);
  const declared = (triage.content.photos as string[] | undefined) ?? [];
  if (!declared.includes(sha256)) {
    throw new PhotoNotDeclaredError(
      `Triage ${triageId} lists no photo with SHA-256 ${sha256}; photos must be declared in the triage's photos when it is uploaded.`,
    );
  }
  await requireActiveDisaster(tenantId, triage.disasterId);

  const storage = photoStorage(triage.mode);
  const key = photoObjectKey(tenantId, storage, sha256);
  const stored = await headPhoto(key);
  await recordAudit(context, {
    action: 'create',
    entityType: 'photo',
    entityId: sha256,
    disasterId: triage.disasterId,
  });
  if (stored !== undefined) {
    return { status: 200, body: { photoId: sha256, triageId, alreadyStored: true, upload: null } };
  }
  const upload = await presignPhotoUpload(key, { sha256, contentType, size, storage }, context.clock.now());
  return {
    status: 201,
    body: { photoId: sha256, triageId, alreadyStored: false, upload: { method: 'PUT', ...upload } },
  };
};

const getPhotoDownload: PhotoOperations['getPhotoDownload'] = async (request, context) => {
  const { tenantId } = caller(context);
  const { photoId } = request.path;
  const stored =
    (await headPhoto(photoObjectKey(tenantId, 'real', photoId))) ??
    (await headPhoto(photoObjectKey(tenantId, 'drill', photoId)));
  if (stored === undefined) throw new ResourceNotFoundError(`No photo ${photoId} is stored in your tenant.`);
  await recordAudit(context, { action: 'read', entityType: 'photo', entityId: photoId });
  const download = await presignPhotoDownload(stored.key, context.clock.now());
  return {
    status: 200,
    body: {
      photoId,
      contentType: stored.contentType,
      size: stored.size,
      download: { method: 'GET', ...download },
    },
  };
};

export const operations: PhotoOperations = { createPhotoUpload, getPhotoDownload };

export const handler = createRestHandler('photos', operations, { routes, validators: requestValidators });
