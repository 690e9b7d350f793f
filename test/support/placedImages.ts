// Short ways to ask where placeImages puts a set of image names, and to write the names, for the
// sample placing tests.
import { placeImages, type PlaceContext } from '../../src/core/samples/placing';

/** [path, step] of each image placed as a sample. */
export const steps = (paths: string[], ctx?: PlaceContext) => placeImages(paths, ctx).samples.map((s) => [s.path, s.step]);
/** The paths placed as results (on no step). */
export const results = (paths: string[], ctx?: PlaceContext) => placeImages(paths, ctx).results.map((r) => r.path);
export const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => i + from);
export const pad = (n: number, width: number) => String(n).padStart(width, '0');
/** Logged steps 0, every, 2 × every, … up to `last`. */
export const iterations = (last: number, every = 1) => Float64Array.from({ length: Math.floor(last / every) + 1 }, (_, i) => i * every);
