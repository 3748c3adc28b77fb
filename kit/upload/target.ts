import { DropkitError } from '../errors.js';

// Where `collect upload` PUTs a bundle: a presigned S3 URL, an Azure Blob SAS
// URL, or any URL that takes a PUT. Pure.
//
// The query string is the credential (X-Amz-Signature, sig=): it is never
// shown. `shown` is what logs, errors and --json say instead.

export interface UploadTarget {
  url: URL;
  kind: 'azure-blob' | 's3' | 'put';
  // scheme://host/path?… : the query replaced by a marker.
  shown: string;
  // The headers the service needs besides Content-Length.
  headers: Record<string, string>;
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|\[::1\]|localhost)$/i;

export function uploadTarget(raw: string): UploadTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DropkitError({
      code: 'USAGE',
      message: 'the upload URL is not a URL',
      step: 'upload',
      hint: 'give the presigned S3 URL or the Azure Blob SAS URL your vendor sent, in quotes',
    });
  }
  const shown = `${url.protocol}//${url.host}${url.pathname}${url.search ? '?<signature hidden>' : ''}`;
  // A bundle is evidence from production hosts: it crosses a network only
  // encrypted. Plain http is for a receiver on this machine.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname)))
    throw new DropkitError({
      code: 'USAGE',
      message: `the upload URL must be https: ${shown}`,
      step: 'upload',
    });
  if (url.username || url.password)
    throw new DropkitError({
      code: 'USAGE',
      message: `the upload URL carries a user name or password; give a presigned or SAS URL: ${url.protocol}//${url.hostname}${url.pathname}`,
      step: 'upload',
    });
  const q = url.searchParams;
  // A SAS token has a version and a signature (sv, sig); a blob endpoint
  // says so in its host name. The Put Blob call needs the blob type.
  if (
    /\.blob\.core\.(?:windows\.net|chinacloudapi\.cn|usgovcloudapi\.net)$/i.test(url.hostname) ||
    (q.has('sv') && q.has('sig'))
  )
    return { url, kind: 'azure-blob', shown, headers: { 'x-ms-blob-type': 'BlockBlob' } };
  if ([...q.keys()].some((k) => k.toLowerCase() === 'x-amz-signature'))
    return { url, kind: 's3', shown, headers: {} };
  return { url, kind: 'put', shown, headers: {} };
}

// An HTTP status worth trying again: throttled or a server-side failure.
export function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

// What a refusal most likely means, for the error's hint.
export function statusHint(status: number, kind: UploadTarget['kind']): string {
  if (status === 403)
    return kind === 'azure-blob'
      ? 'the SAS token was refused: it may have expired, lack write (sp=w/c) permission, or be for another blob'
      : 'the signature was refused: a presigned URL expires, and is only valid for PUT of this exact object';
  if (status === 404)
    return 'the container or bucket does not exist, or the URL is not for an upload';
  if (status === 413)
    return 'the receiver takes files no larger than it says: ask the vendor for another upload link';
  return 'ask the vendor for a fresh upload link, or attach the bundle to the case by hand';
}
