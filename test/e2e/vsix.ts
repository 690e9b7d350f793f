// Packages the extension once per test run, shared by the .vsix listing test and the e2e scenarios.
// `scripts/test.mjs` sets GAN_TEST_RUN so files run in separate processes reuse one package;
// GAN_E2E_VSIX points at a ready .vsix instead (to debug the harness against a build of your own).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';

export const repoRoot = resolve(__dirname, '../..');
export const vsixPath = join(repoRoot, 'dist-vsix', 'gan-run-inspector.vsix');

/** Builds (production) and packages the extension unless this test run already did; returns the .vsix path. */
export function ensureVsix(): string {
  if (process.env.GAN_E2E_VSIX) return resolve(process.env.GAN_E2E_VSIX);
  const runId = process.env.GAN_TEST_RUN;
  const marker = join(repoRoot, 'dist-vsix', `.packaged-${runId}`);
  if (runId && existsSync(marker) && existsSync(vsixPath)) return vsixPath;
  const lock = join(repoRoot, 'dist-vsix', '.lock');
  mkdirSync(join(repoRoot, 'dist-vsix'), { recursive: true });
  // Test files may run in parallel processes: one packages, the others wait for its marker.
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (runId && existsSync(marker) && existsSync(vsixPath)) return vsixPath;
      // A lock left by a killed run: take it over after 4 minutes.
      if (Date.now() > deadline || Date.now() - statSync(lock).mtimeMs > 240_000) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      spawnSync('sleep', ['0.5']);
    }
  }
  try {
    if (runId && existsSync(marker) && existsSync(vsixPath)) return vsixPath;
    let r = packageOnce();
    // One retry: a build running at the same moment (watch mode, another terminal) can change
    // dist/ under vsce while it zips.
    if (r.status !== 0 || !existsSync(vsixPath)) r = packageOnce();
    if (r.status !== 0 || !existsSync(vsixPath)) {
      const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
      throw new Error(`npm run package failed (exit ${r.status}):\n${tail}`);
    }
    if (runId) writeFileSync(marker, new Date().toISOString());
    return vsixPath;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function packageOnce() {
  rmSync(vsixPath, { force: true });
  return spawnSync('npm', ['run', 'package'], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
}

export interface ZipEntry {
  name: string;
  size: number;
  compressedSize: number;
  method: number;
  localHeader: number;
}

/** Lists a zip (a .vsix is one) from its central directory, so no unzip binary is needed. */
export function listZip(file: string): ZipEntry[] {
  const buf = readFileSync(file);
  // The end-of-central-directory record sits in the last 22..65557 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip file (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: broken central directory entry ${i}`);
    const nameLen = buf.readUInt16LE(p + 28);
    entries.push({
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localHeader: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

/** Reads one entry of a zip (e.g. extension/package.json inside the .vsix). */
export function readZipEntry(file: string, name: string): Buffer {
  const entry = listZip(file).find((e) => e.name === name);
  if (!entry) throw new Error(`${file}: no entry ${name}`);
  const buf = readFileSync(file);
  const h = entry.localHeader;
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const data = buf.subarray(start, start + entry.compressedSize);
  return entry.method === 8 ? inflateRawSync(data) : Buffer.from(data);
}
