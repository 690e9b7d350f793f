// A run's images as samples, references and results: by a gan-run.json pattern, by a folder
// format's own naming (W&B's media), or placed as one set on the losses' axis (placing.ts).
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { Reference, Result, Sample, Series, Stage } from '../model';
import type { RunLocation } from '../discover';
import type { ImageNaming } from '../formats/format';
import { isImageFile, samplePattern } from './naming';
import { placeImages, sortSamples, type Placed } from './placing';

// How deep a `samples` pattern's images are looked for under the run folder.
const PATTERN_DEPTH = 4;

async function listImages(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (abs: string, rel: string, depth: number): Promise<void> => {
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory() && depth < PATTERN_DEPTH && !e.name.startsWith('.') && e.name !== 'node_modules')
        await walk(path.join(abs, e.name), childRel, depth + 1);
      else if (e.isFile() && isImageFile(e.name)) out.push(childRel);
    }
  };
  await walk(root, '', 0);
  return out;
}

/** Images a `samples` pattern from gan-run.json names, at the step it gives. */
export async function patternSamples(root: string, pattern: string, ignored: (rel: string) => boolean): Promise<Sample[]> {
  const stepOf = samplePattern(pattern);
  const out: Sample[] = [];
  for (const rel of await listImages(root)) {
    const step = ignored(rel) ? null : stepOf(rel);
    if (step !== null) out.push({ step, path: rel });
  }
  return sortSamples(out);
}

/**
 * Images named as a folder format says (W&B's `media/images/<key>_<step>_<id>.png`): at the step in
 * their names, a reference by its key (`real_A`); one with no step (a table's, by its hash alone) is a result.
 */
export function placeNamedImages(loc: RunLocation, naming: ImageNaming, ignored: (rel: string) => boolean): Placed {
  const samples: Sample[] = [];
  const references: Reference[] = [];
  const results: Result[] = [];
  for (const rel of loc.sampleFiles) {
    if (ignored(rel)) continue;
    const step = naming.step(rel);
    if (naming.isReference(rel)) references.push({ step, path: rel });
    else if (step === null) results.push({ path: rel });
    else samples.push({ step, path: rel });
  }
  references.sort((a, b) => (a.step ?? -1) - (b.step ?? -1) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { samples: sortSamples(samples), references, results, ...(samples.length ? { unit: 'step' } : {}) };
}

/**
 * The run's images placed as one set (src/core/samples/placing.ts): samples on the losses' axis
 * (epochs onto iterations when the log says how many an epoch has), references, results, stages.
 * `logStages`: the stages a log gave (a training whose counter restarts by design); the samples of
 * a staged tree go onto them by stage index. Without them the stages come from the tree.
 */
export function placeRunImages(loc: RunLocation, series: Series[], lossUnit: string | null, ignored: (rel: string) => boolean, logStages?: Stage[]): Placed {
  const main = series.find((s) => s.role === 'discriminator' || s.role === 'generator');
  const stepsPerEpoch = series.find((s) => (s.role === 'discriminator' || s.role === 'generator') && s.stepsPerEpoch)?.stepsPerEpoch;
  return placeImages(
    loc.sampleFiles.filter((rel) => !ignored(rel)),
    {
      // A file that is a run (a notebook): its images are named from the folder holding it.
      runFolder: path.basename(loc.file ? path.dirname(loc.root) : loc.root),
      lossUnit,
      ...(stepsPerEpoch ? { stepsPerEpoch } : {}),
      ...(main?.steps.length ? { lossSteps: main.steps } : {}),
      ...(logStages?.length ? { stages: logStages } : {}),
    },
  );
}
