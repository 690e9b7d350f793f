// Command-line parsing for `gan-inspect`: no library, the grammar is small and errors must be exact.
import { t, type Language } from '../core/l10n';
import { DEFAULT_LIVE_MINUTES } from '../core/live/liveness';

export interface CliOptions {
  paths: string[];
  format: 'text' | 'json' | 'markdown';
  html: string | null;
  lang: Language | null;
  maxDepth: number | null;
  help: boolean;
  version: boolean;
  /** `--watch`: follow the runs while they train (see watch.ts). */
  watch: WatchOptions | null;
}

export interface WatchOptions {
  /** Exit non-zero the moment a finding of this severity or worse appears. */
  failOn: 'error' | 'warning' | null;
  /** Seconds between looks at the runs' files. */
  intervalSeconds: number;
  /** A run is training while its files grew within this many minutes; the watch ends when none is. */
  liveMinutes: number;
}

/** A usage error: the CLI prints its message and exits with 2. */
export class UsageError extends Error {}

const LANGUAGES: Language[] = ['en', 'zh-tw'];

export function parseArgs(argv: string[]): CliOptions {
  const opts: CliOptions = { paths: [], format: 'text', html: null, lang: null, maxDepth: null, help: false, version: false, watch: null };
  const watch: WatchOptions = { failOn: null, intervalSeconds: 1, liveMinutes: DEFAULT_LIVE_MINUTES };
  let watchFlag: string | null = null;
  let formatFlag: string | null = null;
  const setFormat = (flag: string, format: CliOptions['format']) => {
    if (formatFlag !== null && formatFlag !== flag) throw new UsageError(t('{0} and {1} cannot be used together', formatFlag, flag));
    formatFlag = flag;
    opts.format = format;
  };
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      opts.paths.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : null;
    const value = (): string => {
      if (inline !== null) return inline;
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(t('{0} needs a value', flag));
      i++;
      return next;
    };
    const noValue = () => {
      if (inline !== null) throw new UsageError(t('{0} takes no value', flag));
    };
    switch (flag) {
      case '--':
        onlyPaths = true;
        break;
      case '--json':
        noValue();
        setFormat(flag, 'json');
        break;
      case '--markdown':
      case '--md':
        noValue();
        setFormat('--markdown', 'markdown');
        break;
      case '--html': {
        const file = value();
        if (!file.trim()) throw new UsageError(t('{0} needs a value', flag));
        opts.html = file;
        break;
      }
      case '--lang': {
        const lang = value().toLowerCase().replace('_', '-') as Language;
        if (!LANGUAGES.includes(lang)) throw new UsageError(t('unknown language "{0}" (use {1})', lang, LANGUAGES.join(' or ')));
        opts.lang = lang;
        break;
      }
      case '--max-depth': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0 || n > 64) throw new UsageError(t('{0} must be a whole number from 0 to 64', flag));
        opts.maxDepth = n;
        break;
      }
      case '--watch':
        noValue();
        opts.watch = watch;
        break;
      case '--fail-on': {
        const level = value().toLowerCase();
        if (level !== 'error' && level !== 'warning') throw new UsageError(t('{0} must be error or warning', flag));
        watch.failOn = level;
        watchFlag = flag;
        break;
      }
      case '--interval':
      case '--live-minutes': {
        const n = Number(value());
        if (!Number.isFinite(n) || n <= 0 || n > 1440) throw new UsageError(t('{0} must be a number above 0', flag));
        if (flag === '--interval') watch.intervalSeconds = n;
        else watch.liveMinutes = n;
        watchFlag = flag;
        break;
      }
      case '-h':
      case '--help':
        noValue();
        opts.help = true;
        break;
      case '-v':
      case '--version':
        noValue();
        opts.version = true;
        break;
      default:
        throw new UsageError(t('unknown option {0}', flag));
    }
  }
  if (!opts.paths.length) opts.paths.push('.');
  if (watchFlag && !opts.watch) throw new UsageError(t('{0} needs --watch', watchFlag));
  if (opts.watch && (opts.format === 'markdown' || opts.html !== null))
    throw new UsageError(t('--watch prints text or JSON lines (--json), not {0}', opts.html !== null ? '--html' : '--markdown'));
  return opts;
}

export function usage(): string {
  return [
    t('Usage: gan-inspect [PATH ...] [--json | --markdown] [--html FILE] [--lang en|zh-tw]'),
    t('    or: gan-inspect --watch RUN [--json] [--fail-on error|warning] [--interval S] [--live-minutes N]'),
    '',
    t('Finds GAN training runs under each PATH (a folder, searched; or one loss file), reads their losses and samples, and reports problems.'),
    '',
    t('Options:'),
    `  --json            ${t('print one JSON document (format version 1)')}`,
    `  --markdown        ${t('print a Markdown report')}`,
    `  --html FILE       ${t('also write a standalone HTML report to FILE')}`,
    `  --lang en|zh-tw   ${t('language of the report (default: from LC_ALL, LC_MESSAGES or LANG)')}`,
    `  --max-depth N     ${t('how deep to search folders (default 6)')}`,
    `  --watch           ${t('follow the runs while they train: their state, then each new finding as it appears (JSON lines with --json); ends when no run has grown for --live-minutes')}`,
    `  --fail-on LEVEL   ${t('with --watch: exit 3 the moment a finding of LEVEL (error or warning) or worse appears')}`,
    `  --interval S      ${t('with --watch: seconds between looks at the files (default 1)')}`,
    `  --live-minutes N  ${t('with --watch: a run is training while its files grew in the last N minutes (default 10)')}`,
    `  --help, --version`,
    '',
    t('Exit status: 0 when something was inspected, 1 when a PATH yielded nothing readable, 2 for usage errors.'),
    t('With --watch: 0 when the runs stopped training, 3 when --fail-on was met.'),
  ].join('\n');
}
