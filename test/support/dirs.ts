// Where the tests are, for the fixture paths they write relative to it: the unit tests sit in room
// folders (test/unit/core/formats/…) and name the repository's files from here.
import * as path from 'node:path';

/** test/unit */
export const UNIT_DIR = path.resolve(__dirname, '..', 'unit');
