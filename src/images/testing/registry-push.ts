// A minimal push for tests (distribution docs/spec/api.md "Pushing An Image"):
// monolithic blob uploads (POST, then PUT ?digest=), then manifests by digest and tag.
import { sha256Digest } from '../digest.js';

async function expectStatus(res: Response, want: number, what: string): Promise<void> {
  if (res.status !== want) {
    throw new Error(`${what}: ${res.status} ${res.statusText}: ${await res.text()}`);
  }
}

export async function pushBlob(host: string, repo: string, bytes: Buffer): Promise<void> {
  const base = `http://${host}`;
  const digest = sha256Digest(bytes);
  const head = await fetch(`${base}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  if (head.ok) {
    return;
  }
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  await expectStatus(start, 202, `start upload to ${repo}`);
  const location = new URL(start.headers.get('location') ?? '', base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bytes.length) },
    body: bytes,
  });
  await expectStatus(put, 201, `upload ${digest}`);
}

export async function pushManifest(
  host: string,
  repo: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
): Promise<void> {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    headers: { 'Content-Type': mediaType },
    body: bytes,
  });
  await expectStatus(res, 201, `put manifest ${repo}:${reference}`);
}

/** Pushes an image's blobs and manifest (by digest, and by `tag` when given). */
export async function pushTestImage(
  host: string,
  repo: string,
  img: { blobs: Map<string, Buffer>; manifest: Buffer; manifestMediaType: string },
  tag?: string,
): Promise<void> {
  for (const b of img.blobs.values()) {
    await pushBlob(host, repo, b);
  }
  await pushManifest(host, repo, sha256Digest(img.manifest), img.manifest, img.manifestMediaType);
  if (tag !== undefined) {
    await pushManifest(host, repo, tag, img.manifest, img.manifestMediaType);
  }
}
