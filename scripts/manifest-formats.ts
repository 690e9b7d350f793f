// Writes what the format registry (src/core/formats/registry.ts) says into the static manifest:
// the `workspaceContains` activation events, the Explorer menu's `when` for "Inspect GAN run", and
// the list of formats in the no-runs welcome view (the first parenthesised list of
// `viewsWelcome.runs.noRuns`, in English and Traditional Chinese). test/unit/core/formats/manifest-formats.test.ts
// fails when package.json or its nls files drift from the registry.
//
// Usage: node --import tsx scripts/manifest-formats.ts [--check]
//   (no flag)  rewrites package.json, package.nls.json and package.nls.zh-tw.json
//   --check    writes nothing; exits 1 naming the files that differ
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { explorerWhen, welcomeFormatList, workspaceContainsEvents } from '../src/core/formats/manifest';
import { useLanguage, type Language } from '../src/core/l10n';

const repoRoot = path.join(__dirname, '..');
export const MANIFEST_FILES = { pkg: 'package.json', en: 'package.nls.json', 'zh-tw': 'package.nls.zh-tw.json' } as const;
const INSPECT_COMMAND = 'ganInspector.inspect';
export const WELCOME_KEY = 'viewsWelcome.runs.noRuns';

type Json = Record<string, unknown>;
interface MenuItem {
  command: string;
  when?: string;
}

/** package.json with the registry's activation events and Explorer menu clause. */
export function withRegistryManifest(pkg: Json): Json {
  const events = pkg.activationEvents as string[];
  const at = Math.max(
    0,
    events.findIndex((e) => e.startsWith('workspaceContains:')),
  );
  const others = events.filter((e) => !e.startsWith('workspaceContains:'));
  const contributes = pkg.contributes as { menus: Record<string, MenuItem[]> };
  const explorer = contributes.menus['explorer/context']!.map((item) => (item.command === INSPECT_COMMAND ? { ...item, when: explorerWhen() } : item));
  return {
    ...pkg,
    activationEvents: [...others.slice(0, at), ...workspaceContainsEvents(), ...others.slice(at)],
    contributes: { ...contributes, menus: { ...contributes.menus, 'explorer/context': explorer } },
  };
}

/** An nls file with the registry's formats, in `language`, as the welcome's first parenthesised list. */
export function withRegistryWelcome(nls: Record<string, string>, language: Language): Record<string, string> {
  useLanguage(language);
  try {
    const list = welcomeFormatList();
    const text = nls[WELCOME_KEY]!.replace(/([(（])[^()（）]*([)）])/, (_, open: string, close: string) => `${open}${list}${close}`);
    return { ...nls, [WELCOME_KEY]: text };
  } finally {
    useLanguage('en');
  }
}

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Each manifest file's text now, and as the registry would write it. */
export function manifestTexts(): { file: string; now: string; wanted: string }[] {
  return [
    { file: MANIFEST_FILES.pkg, now: read(MANIFEST_FILES.pkg), wanted: json(withRegistryManifest(JSON.parse(read(MANIFEST_FILES.pkg)) as Json)) },
    ...(['en', 'zh-tw'] as const).map((language) => {
      const file = MANIFEST_FILES[language];
      return { file, now: read(file), wanted: json(withRegistryWelcome(JSON.parse(read(file)) as Record<string, string>, language)) };
    }),
  ];
}

if (require.main === module) {
  const check = process.argv.includes('--check');
  const differ = manifestTexts().filter((m) => m.now !== m.wanted);
  for (const m of differ) {
    if (check) console.error(`${m.file} differs from the format registry: run node --import tsx scripts/manifest-formats.ts`);
    else writeFileSync(path.join(repoRoot, m.file), m.wanted);
  }
  if (!check) console.log(differ.length ? `wrote ${differ.map((m) => m.file).join(', ')}` : 'the manifest already says what the registry says');
  process.exit(check && differ.length ? 1 : 0);
}
